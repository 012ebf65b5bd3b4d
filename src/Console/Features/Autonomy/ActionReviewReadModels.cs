using Warden.Domain.Autonomy;

namespace Warden.Features.Autonomy;

/// <summary>An action queued for review after it ran: what ran, what the agent reported, and where the review stands.</summary>
public sealed record ActionReviewRow(
    string DecisionId,
    string AgentId,
    string AgentName,
    DateTimeOffset DecidedAt,
    string Tool,
    string Operation,
    string Resource,
    string? RiskTier,
    string WhyAllowed,
    string? OutcomeStatus,
    int? OutcomeRecords,
    decimal? OutcomeAmount,
    string? OutcomeDetail,
    ActionReviewState State,
    string? ReviewedByName,
    DateTimeOffset? ReviewedAt,
    string? Note,
    string? WhyCannotReview)
{
    public bool CanReview => State == ActionReviewState.Pending && WhyCannotReview is null;
}
