using Warden.Domain.Guardrails;

namespace Warden.Features.Guardrails;

/// <summary>
/// One stored guardrail finding of a decision: what was noticed, where and how surely, with a masked
/// excerpt (never the value). Officers review findings as true or false positives, which is what
/// each scanner's false-positive rate is computed from.
/// </summary>
public sealed class FindingRecord
{
    public const int MaxPerDecision = 50;

    public long Id { get; set; }
    public string DecisionId { get; set; } = string.Empty;
    public string AgentId { get; set; } = string.Empty;
    public DateTimeOffset FoundAt { get; set; }
    /// <summary><c>request</c> or <c>output</c>.</summary>
    public string Stage { get; set; } = string.Empty;
    public string Kind { get; set; } = string.Empty;
    public string Scanner { get; set; } = string.Empty;
    public string? PatternId { get; set; }
    public string Location { get; set; } = string.Empty;
    public double Confidence { get; set; }
    public string Excerpt { get; set; } = string.Empty;
    public FindingReview Review { get; set; }
    public string? ReviewedBy { get; set; }
    public string? ReviewedByName { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
    public string? ReviewNote { get; set; }

    public string Family => FindingKinds.Family(Kind);

    public static FindingRecord From(Finding finding, string decisionId, string agentId, string stage, DateTimeOffset at, Masking masking) => new()
    {
        DecisionId = decisionId,
        AgentId = agentId,
        FoundAt = at,
        Stage = stage,
        Kind = Fit(finding.Kind, 80),
        Scanner = Fit(finding.Scanner.Length == 0 ? "guardrail" : finding.Scanner, 64),
        PatternId = finding.PatternId is { } id ? Fit(id, 100) : null,
        Location = Fit(finding.Location, 200),
        Confidence = Math.Round(finding.Confidence, 3),
        Excerpt = Fit(masking.Text(finding.Excerpt), 200),
    };

    private static string Fit(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}

public enum FindingReview
{
    Unreviewed,
    TruePositive,
    FalsePositive,
}
