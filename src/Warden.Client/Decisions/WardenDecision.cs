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
    /// <summary>
    /// For an output review that allowed the output: what may be released, exactly (masked where the
    /// policy masks), with its signed provenance. Release this, not the output that was sent for review.
    /// </summary>
    public WardenRelease? Release { get; init; }

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

/// <summary>
/// A released output: <see cref="Output"/> as JSON, <see cref="Text"/> exactly as released (the string
/// itself for a text output, otherwise the JSON as Warden wrote it), the SHA-256 of <see cref="Text"/>
/// (lowercase hex), what was masked, and the provenance token a recipient verifies
/// (<see cref="ProvenanceVerifier"/>, or Warden's <c>POST api/v1/outputs/verify</c>).
/// </summary>
public sealed record WardenRelease(
    System.Text.Json.JsonElement Output, string Text, string Digest, IReadOnlyList<WardenMaskedKind> Masked, string Provenance)
{
    public bool WasMasked => Masked.Count > 0;
}

/// <summary>How many values of one kind (e.g. <c>pii.email</c>) were masked; the values are never given.</summary>
public sealed record WardenMaskedKind(string Kind, int Count);
