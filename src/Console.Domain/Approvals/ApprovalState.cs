namespace Warden.Domain.Approvals;

/// <summary>Where an approval request stands. Every state but <see cref="Pending"/> is final.</summary>
public enum ApprovalState
{
    Pending,
    Approved,
    Denied,
    Expired,
    Cancelled,
}

/// <summary>What one officer says about a held action.</summary>
public enum Verdict
{
    Approve,
    Deny,
}
