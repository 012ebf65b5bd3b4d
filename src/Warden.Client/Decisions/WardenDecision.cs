namespace Warden.Client;

public enum WardenVerdict
{
    Allow,
    Deny,
    Pending,
}

/// <summary>Warden's answer to an ask, as it stands now.</summary>
/// <param name="State">The decision's state: allowed, denied, pending, approved, rejected, expired, cancelled, completed.</param>
public sealed record WardenDecision(
    string Id,
    WardenVerdict Outcome,
    string State,
    IReadOnlyList<WardenReason> Reasons,
    WardenGrant? Grant,
    WardenApproval? Approval,
    string? PolicyVersion,
    string? RiskTier)
{
    public bool IsAllowed => Outcome == WardenVerdict.Allow;

    public bool IsDenied => Outcome == WardenVerdict.Deny;

    public bool IsPending => Outcome == WardenVerdict.Pending;

    /// <summary>The reasons as one line for a person or a model: "code: message; ...".</summary>
    public string Explain() => Reasons.Count == 0
        ? Outcome.ToString().ToLowerInvariant()
        : string.Join("; ", Reasons.Select(r => $"{r.Code}: {r.Message}"));
}

public sealed record WardenReason(string Code, string Message);

/// <summary>The single-use grant of an allowed decision: shown to the tool, reported with the outcome.</summary>
public sealed record WardenGrant(string Token, DateTimeOffset ExpiresAt);

/// <summary>The approval a pending decision waits for.</summary>
public sealed record WardenApproval(string Id, int RequiredApprovals, DateTimeOffset ExpiresAt);
