using System.Globalization;

namespace Warden.Features.Evidence;

/// <summary>
/// How complete a pack is, as a share of what an auditor asks for: each required section with its
/// content (sections whose feature exists only in part count half), a verified chain, and no agent
/// unattested in the period. What is missing is named, so the score can be checked by hand.
/// </summary>
public static class EvidenceCompletenessRules
{
    private static readonly (string Section, double Credit, string? Gap)[] Sections =
    [
        ("agent directory", 1, null),
        ("policies in force", 1, null),
        ("decisions summary", 1, null),
        ("approvals", 1, null),
        ("containment", 1, null),
        ("autonomy promotions and demotions", 1, null),
        ("violations", 1, null),
        ("metrics", 1, null),
        ("audit-chain verification", 1, null),
        ("appendix of audit events", 1, null),
    ];

    public static EvidenceCompleteness Score(bool chainVerified, int unattestedAgents)
    {
        var points = Sections.Sum(s => s.Credit) + (chainVerified ? 1 : 0) + (unattestedAgents == 0 ? 1 : 0);
        var total = Sections.Length + 2;
        var gaps = Sections.Where(s => s.Gap is not null).Select(s => $"{s.Section} {(s.Credit == 0 ? "missing" : "partial")} ({s.Gap})").ToList();
        if (!chainVerified)
            gaps.Add("the audit chain does not verify");
        if (unattestedAgents > 0)
            gaps.Add(string.Create(CultureInfo.InvariantCulture, $"{unattestedAgents} agents were unattested in the period"));
        var score = (int)Math.Round(100 * points / total, MidpointRounding.AwayFromZero);
        return new EvidenceCompleteness(score, string.Create(CultureInfo.InvariantCulture,
            $"{points:0.#} of {total} points: {Sections.Length} required sections, a verified chain, and every agent attested. {(gaps.Count == 0 ? "No gaps." : $"Gaps: {string.Join("; ", gaps)}.")}"));
    }
}
