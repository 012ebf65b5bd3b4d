using Warden.Domain.Agents;
using Warden.Domain.Approvals;
using Warden.Domain.Guardrails;

namespace Warden.Features.Approvals;

/// <summary>One vote; <paramref name="VoidedAt"/> is set when a change of the preview voided it (it no longer counts).</summary>
public sealed record VoteView(string VoterId, string VoterName, Verdict Verdict, string Reason, DateTimeOffset CastAt, DateTimeOffset? VoidedAt = null);

/// <summary>The preview of a held action as officers see it (masked), with the digest an approval is bound to.</summary>
public sealed record PreviewView(
    string Digest, string Summary, string? Changes, IReadOnlyList<string> Records, decimal? Amount, string? Currency, DateTimeOffset? ChangedAt);

/// <summary>Everything an officer needs to decide one held action, with parameters already PII-masked.</summary>
public sealed record ApprovalCard(
    string Id,
    string DecisionId,
    string AgentId,
    string AgentName,
    string OwnerName,
    string Purpose,
    int AutonomyLevel,
    string Tool,
    string Operation,
    string Resource,
    string RiskTier,
    int Records,
    decimal Amount,
    string? Currency,
    string? Parameters,
    string? Justification,
    string? RuleId,
    IReadOnlyList<string> WhyHeld,
    int RequiredApprovals,
    IReadOnlyList<VoteView> Votes,
    DateTimeOffset OpenedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? EscalatedAt,
    ApprovalState State,
    DateTimeOffset? ResolvedAt,
    string? ResolutionReason,
    string? CannotVoteBecause,
    IReadOnlyList<CardFinding>? Findings = null,
    string? ReviewOf = null,
    string WhoMayApprove = "security officers",
    string? Outcome = null,
    PreviewView? Preview = null)
{
    public int Approvals => Votes.Count(v => v.Verdict == Verdict.Approve && v.VoidedAt is null);

    /// <summary>The tool's risk tier.</summary>
    public RiskTier ToolRisk => Enum.TryParse<RiskTier>(RiskTier, true, out var tier) ? tier : Warden.Domain.Agents.RiskTier.Critical;

    /// <summary>
    /// The risk an officer weighs: the tool's tier raised to the most severe guardrail finding, so a
    /// request held for a prompt-injection marker never reads as low.
    /// </summary>
    public RiskTier Risk => (Findings ?? []).Aggregate(ToolRisk, (risk, f) =>
        (RiskTier)Math.Max((int)risk, (int)new Finding(f.Kind, f.Location, f.Confidence, f.Excerpt).Severity));

    public bool IsEscalated => EscalatedAt is not null && State == ApprovalState.Pending;

    public bool CanVote => State == ApprovalState.Pending && CannotVoteBecause is null;
}

/// <summary>How many requests wait for a decision and how many of them are escalated, counted once for every place that shows it.</summary>
public sealed record ApprovalWaiting(int Waiting, int Escalated);

/// <summary>The queue at one moment: the waiting requests (at most <see cref="MaxCards"/>) and their counts.</summary>
public sealed record ApprovalQueueView(IReadOnlyList<ApprovalCard> Cards, ApprovalWaiting Counts)
{
    public const int MaxCards = 500;
}

/// <summary>
/// Which finished requests the history shows, newest first, a page at a time: with neither cursor the
/// newest page; <paramref name="Before"/> a request shown, the page older than it; <paramref name="After"/>, the page newer.
/// </summary>
public sealed record ApprovalHistoryFilter(
    ApprovalState? State = null,
    string? AgentId = null,
    string? OfficerId = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    ApprovalHistoryCursor? Before = null,
    ApprovalHistoryCursor? After = null)
{
    public const int PageSize = 50;
}

/// <summary>Where a request stands in the history's order (opened, then id): the keyset a page starts after.</summary>
public sealed record ApprovalHistoryCursor(DateTimeOffset OpenedAt, string Id)
{
    public static ApprovalHistoryCursor Of(ApprovalCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return new(card.OpenedAt, card.Id);
    }

    /// <summary>Whether this request comes after <paramref name="other"/> in the history's order (opened later, or at the same tick with a larger id).</summary>
    public bool IsNewerThan(ApprovalHistoryCursor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return OpenedAt > other.OpenedAt || (OpenedAt == other.OpenedAt && string.CompareOrdinal(Id, other.Id) > 0);
    }
}

/// <summary>A page of the history, newest first; HasOlder/HasNewer say whether the "older"/"newer" buttons lead anywhere.</summary>
public sealed record ApprovalHistoryPage(IReadOnlyList<ApprovalCard> Cards, bool HasOlder, bool HasNewer);

public sealed record OfficerLoad(string OfficerId, string Name, int Approvals, int Denials, int RubberStamps, int BusiestHour);

public sealed record RubberStampFlag(string OfficerName, string RequestId, string AgentName, double Seconds, DateTimeOffset CastAt);

public sealed record BurstFlag(string OfficerName, DateTimeOffset HourStarting, int Approvals);

/// <summary>How hard the queue is working the people on it (reviewer fatigue is an attack path).</summary>
public sealed record ApprovalLoad(
    int QueueDepth,
    int Escalated,
    int Decided,
    TimeSpan? TimeToDecisionP50,
    TimeSpan? TimeToDecisionP95,
    IReadOnlyList<OfficerLoad> Officers,
    IReadOnlyList<RubberStampFlag> RubberStamps,
    IReadOnlyList<BurstFlag> Bursts,
    int WindowDays,
    int RubberStampSeconds,
    int MaxApprovalsPerHour);

/// <summary>A guardrail finding as a card shows it: kind, where, how sure, and a masked excerpt.</summary>
public sealed record CardFinding(string Kind, string Location, double Confidence, string Excerpt, string Stage);
