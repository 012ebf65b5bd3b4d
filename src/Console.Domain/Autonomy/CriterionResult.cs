namespace Warden.Domain.Autonomy;

/// <summary>
/// One promotion criterion as measured: the value, the threshold, whether it passed, and in words
/// what is still missing when it did not.
/// </summary>
public sealed record CriterionResult(string Code, string Name, string Measured, string Threshold, bool Passed, string? Missing);

public static class CriterionCodes
{
    public const string DaysAtLevel = "days_at_level";
    public const string Decisions = "decisions";
    public const string CriticalFree = "days_without_critical";
    public const string FalsePositiveRate = "false_positive_rate";
    public const string Attestation = "attestation_current";
    public const string Evidence = "evidence_verified";
    public const string AwaitingReview = "actions_awaiting_review";
    public const string RejectionRate = "review_rejection_rate";
    public const string CompensableTools = "compensable_write_tools";
    public const string RedTeamDrill = "redteam_drill";
}
