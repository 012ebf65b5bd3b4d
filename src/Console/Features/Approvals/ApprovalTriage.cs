using Warden.Domain.Agents;

namespace Warden.Features.Approvals;

/// <summary>The orders an officer can put the queue in.</summary>
public enum QueueSort
{
    /// <summary>Critical and escalated first, then by risk, then the soonest deadline.</summary>
    Priority,
    Risk,
    Agent,
    Owner,
    Tool,
    Age,
    TimeLeft,
}

/// <summary>What the officer narrowed the queue to; every part left empty lets everything through.</summary>
public sealed record QueueFilter(
    RiskTier? MinRisk = null,
    string? AgentId = null,
    string? Owner = null,
    string? Tool = null,
    TimeSpan? OlderThan = null,
    TimeSpan? ExpiresWithin = null)
{
    public static readonly QueueFilter None = new();

    public bool IsEmpty => this == None;
}

/// <summary>
/// Filters and orders the waiting requests the service returned (already checked for the caller).
/// Pure: the clock is a parameter.
/// </summary>
public static class ApprovalTriage
{
    public static IReadOnlyList<ApprovalCard> Apply(
        IEnumerable<ApprovalCard> cards, QueueFilter filter, QueueSort sort, bool descending, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cards);
        ArgumentNullException.ThrowIfNull(filter);
        var kept = cards.Where(c => Matches(c, filter, now));
        var ordered = sort switch
        {
            QueueSort.Risk => Then(By(kept, c => (int)c.Risk, descending)),
            QueueSort.Agent => Then(By(kept, c => c.AgentName, descending, StringComparer.OrdinalIgnoreCase)),
            QueueSort.Owner => Then(By(kept, c => c.OwnerName, descending, StringComparer.OrdinalIgnoreCase)),
            QueueSort.Tool => Then(By(kept, c => c.Tool, descending, StringComparer.OrdinalIgnoreCase)),
            // Age grows as the opening time falls: ascending is the newest first.
            QueueSort.Age => Then(By(kept, c => c.OpenedAt, !descending)),
            QueueSort.TimeLeft => Then(By(kept, c => c.ExpiresAt, descending)),
            _ => kept.OrderByDescending(IsUrgent).ThenByDescending(c => (int)c.Risk).ThenBy(c => c.ExpiresAt),
        };
        return ordered.ThenBy(c => c.Id, StringComparer.Ordinal).ToList();

        static IOrderedEnumerable<ApprovalCard> Then(IOrderedEnumerable<ApprovalCard> first) => first.ThenBy(c => c.ExpiresAt);
    }

    /// <summary>Critical and escalated requests come first by default.</summary>
    public static bool IsUrgent(ApprovalCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return card.Risk == RiskTier.Critical || card.IsEscalated;
    }

    public static bool Matches(ApprovalCard card, QueueFilter filter, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(filter);
        return (filter.MinRisk is not { } min || card.Risk >= min)
            && (string.IsNullOrEmpty(filter.AgentId) || card.AgentId == filter.AgentId)
            && (string.IsNullOrEmpty(filter.Owner) || string.Equals(card.OwnerName, filter.Owner, StringComparison.Ordinal))
            && (string.IsNullOrEmpty(filter.Tool) || string.Equals(card.Tool, filter.Tool, StringComparison.Ordinal))
            && (filter.OlderThan is not { } older || now - card.OpenedAt >= older)
            && (filter.ExpiresWithin is not { } within || card.ExpiresAt - now <= within);
    }

    private static IOrderedEnumerable<ApprovalCard> By<TKey>(IEnumerable<ApprovalCard> cards, Func<ApprovalCard, TKey> key, bool descending, IComparer<TKey>? comparer = null) =>
        descending ? cards.OrderByDescending(key, comparer) : cards.OrderBy(key, comparer);
}
