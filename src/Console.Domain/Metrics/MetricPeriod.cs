namespace Warden.Domain.Metrics;

/// <summary>A half-open span of time [Start, End); its previous period is the same length just before it.</summary>
public readonly record struct MetricPeriod(DateTimeOffset Start, DateTimeOffset End)
{
    public TimeSpan Length => End - Start;

    public MetricPeriod Previous => new(Start - Length, Start);

    public bool Contains(DateTimeOffset at) => at >= Start && at < End;

    public static MetricPeriod Ending(DateTimeOffset end, TimeSpan length) => new(end - length, end);
}

/// <summary>Whose figures: everything, one owner's agents, or one agent.</summary>
public enum MetricScopeKind
{
    Overall,
    Owner,
    Agent,
}

public readonly record struct MetricScope(MetricScopeKind Kind, string? Target)
{
    public static MetricScope Overall { get; } = new(MetricScopeKind.Overall, null);

    public static MetricScope Owner(string ownerId) => new(MetricScopeKind.Owner, ownerId);

    public static MetricScope Agent(string agentId) => new(MetricScopeKind.Agent, agentId);
}

/// <summary>A figure in this period and the previous one; null where there was nothing to measure.</summary>
public sealed record MetricValue(double? Current, double? Previous)
{
    /// <summary>Current minus previous, when both exist.</summary>
    public double? Change => Current is { } c && Previous is { } p ? c - p : null;
}
