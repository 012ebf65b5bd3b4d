namespace Warden.Domain.RedTeam;

/// <summary>
/// One adversarial case: a request an attacker (or a hijacked agent) would make, and the safe answer
/// to it. <see cref="Tool"/> and <see cref="Resource"/> may name a placeholder the drill fills in from
/// the agent under test (<c>$read</c>, <c>$write</c>, <c>$delete</c>, <c>$execute</c>, <c>$any</c>;
/// <c>$scope</c> for a resource inside its first scope), so the case tests the policy rather than the
/// tool allowlist. A grant-replay case names a <see cref="Replay"/> scenario instead of a request.
/// </summary>
public sealed record RedTeamCase(
    string Id,
    string Category,
    string Title,
    SafeAnswer Expect,
    string? Tool = null,
    string? Operation = null,
    string? Resource = null,
    string? ParametersJson = null,
    string? Justification = null,
    int? Records = null,
    decimal? Amount = null,
    string? Currency = null,
    string? Replay = null,
    string? Suggestion = null)
{
    /// <summary>Whether an officer added this case (it runs with the corpus).</summary>
    public bool Custom { get; init; }
}
