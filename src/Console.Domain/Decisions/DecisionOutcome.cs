namespace Warden.Domain.Decisions;

public enum DecisionOutcome
{
    Allow,
    Deny,
    Pending,
}
