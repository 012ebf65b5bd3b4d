using Warden.Domain.Decisions;

namespace Warden.Domain.Previews;

/// <summary>
/// The preview-binding rule, for what happens around the approval (the approval itself is bound by
/// <see cref="Approvals.ApprovalRequest.ChangePreview"/> and its votes): a tool that declares a
/// preview is never allowed without one, and an action approved on a preview must report that it ran
/// what was previewed.
/// </summary>
public static class PreviewBinding
{
    /// <summary>
    /// A decision for a tool that declares a preview, made without a usable preview, is never an allow:
    /// an allow is held for approval instead, with the reason; a hold gains the reason; a refusal stands.
    /// </summary>
    public static Decision Hold(Decision decided, bool declared, PreviewPresence presence)
    {
        ArgumentNullException.ThrowIfNull(decided);
        if (!declared || presence is PreviewPresence.Given or PreviewPresence.ToFetch || decided.Outcome == DecisionOutcome.Deny)
            return decided;
        var reason = presence == PreviewPresence.Unreadable
            ? new DecisionReason(DecisionCodes.PreviewUnavailable, "The tool's preview of this action could not be read; it is not allowed without one.")
            : new DecisionReason(DecisionCodes.PreviewMissing, "The tool declares a preview of each action and the request carried none; it is not allowed without one.");
        return decided.Outcome == DecisionOutcome.Pending
            ? decided with { Reasons = [.. decided.Reasons, reason] }
            : decided with
            {
                Outcome = DecisionOutcome.Pending,
                Reasons = [reason],
                RequiredApprovals = Math.Max(1, decided.RequiredApprovals),
                ApprovalExpiry = decided.ApprovalExpiry ?? Decision.DefaultApprovalExpiry,
                MatchedRuleId = null,
            };
    }

    /// <summary>
    /// The decision once the tool's preview endpoint was asked for a held request: decided again with
    /// what the fetch gave (a preview and its findings, or none). It can only refuse or hold: never an
    /// allow, since the request was held before anyone read the preview.
    /// </summary>
    public static Decision AfterFetch(Decision held, Decision again, string? failure)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(again);
        var decided = again.Outcome == DecisionOutcome.Allow ? held : again;
        if (failure is null)
            return decided;
        // The tool's own words say why, in place of the engine's general reason.
        var why = new DecisionReason(DecisionCodes.PreviewUnavailable, $"The tool's preview could not be read: {failure}");
        var reasons = decided.Reasons.Where(r => r.Code != DecisionCodes.PreviewUnavailable).ToList();
        var at = decided.Reasons.Select(r => r.Code).ToList().IndexOf(DecisionCodes.PreviewUnavailable);
        reasons.Insert(at < 0 ? reasons.Count : Math.Min(at, reasons.Count), why);
        return decided with { Reasons = reasons };
    }

    /// <summary>
    /// Whether an outcome report keeps to the preview its action was approved on: a decision with a
    /// preview must report the same digest. Another digest, or none, is a violation (the outcome is still recorded).
    /// </summary>
    public static ImpactExcess? Outcome(string? approvedDigest, string? reportedDigest)
    {
        if (approvedDigest is null || string.Equals(approvedDigest, reportedDigest?.Trim(), StringComparison.OrdinalIgnoreCase))
            return null;
        var reported = string.IsNullOrWhiteSpace(reportedDigest) ? "no preview digest" : $"preview digest {Short(reportedDigest.Trim())}";
        return new ImpactExcess(DecisionCodes.PreviewMismatch,
            $"The outcome reported {reported}; the action was decided on preview {Short(approvedDigest)}.", 0, 0m);
    }

    private static string Short(string digest) => digest.Length > 12 ? digest[..12] + "…" : digest;
}
