namespace Warden.Domain.Autonomy;

public enum PromotionState
{
    Open,
    Approved,
    Rejected,
    Expired,
    Withdrawn,
}
