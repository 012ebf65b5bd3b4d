namespace Warden.Domain.Agents;

/// <summary>One way a proposed profile lets the agent do more than it may now, in words for the reviewing officer.</summary>
public sealed record Widening(string Field, string Before, string After);

/// <summary>
/// What an owner may not change alone. A change widens unless it is provably narrower or equal:
/// a new tool or operation, a lower risk tier or a changed parameter schema, a scope not covered by
/// an existing one, a higher rate limit, a higher or removed cap or budget, another currency, another
/// segment or tags (policies match on both), or a longer token lifetime. Name and purpose grant nothing.
/// </summary>
public static class AgentWidening
{
    public static IReadOnlyList<Widening> Between(AgentProfile before, AgentProfile after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var found = new List<Widening>();
        Tools(before, after, found);
        foreach (var scope in after.Scopes.Where(s => !before.Scopes.Any(b => b.Covers(s))))
            found.Add(new Widening("scope", string.Join(", ", before.Scopes.Select(s => s.Pattern)), scope.Pattern));
        if (after.RateLimitPerMinute > before.RateLimitPerMinute)
            found.Add(new Widening("rate limit", $"{before.RateLimitPerMinute}/min", $"{after.RateLimitPerMinute}/min"));
        Caps(before.Caps, after.Caps, found);
        if (!string.Equals(before.Segment, after.Segment, StringComparison.Ordinal))
            found.Add(new Widening("segment", before.Segment, after.Segment));
        if (!before.Tags.Order(StringComparer.Ordinal).SequenceEqual(after.Tags.Order(StringComparer.Ordinal), StringComparer.Ordinal))
            found.Add(new Widening("tags", string.Join(", ", before.Tags), string.Join(", ", after.Tags)));
        return found;
    }

    public static Widening? TokenLifetime(int beforeMinutes, int afterMinutes) =>
        afterMinutes > beforeMinutes ? new Widening("token lifetime", $"{beforeMinutes} min", $"{afterMinutes} min") : null;

    private static void Tools(AgentProfile before, AgentProfile after, List<Widening> found)
    {
        foreach (var tool in after.Tools)
        {
            var was = before.Tools.FirstOrDefault(t => string.Equals(t.Name, tool.Name, StringComparison.Ordinal));
            if (was is null)
            {
                found.Add(new Widening($"tool {tool.Name}", "not declared", $"{string.Join("/", tool.Operations).ToLowerInvariant()}, {tool.Risk.ToString().ToLowerInvariant()} risk"));
                continue;
            }
            var newOperations = tool.Operations.Except(was.Operations).ToList();
            if (newOperations.Count > 0)
                found.Add(new Widening($"tool {tool.Name} operations", Words(was.Operations), Words(tool.Operations)));
            if (tool.Risk < was.Risk)
                found.Add(new Widening($"tool {tool.Name} risk", was.Risk.ToString().ToLowerInvariant(), tool.Risk.ToString().ToLowerInvariant()));
            if (!string.Equals(tool.ParameterSchema, was.ParameterSchema, StringComparison.Ordinal))
                found.Add(new Widening($"tool {tool.Name} parameter schema", was.ParameterSchema is null ? "none" : "declared", tool.ParameterSchema is null ? "none" : "changed"));
        }
    }

    private static void Caps(ImpactCaps before, ImpactCaps after, List<Widening> found)
    {
        Cap("records per action", before.MaxRecordsPerAction, after.MaxRecordsPerAction, found);
        Cap("amount per action", before.MaxAmountPerAction, after.MaxAmountPerAction, found);
        Cap("daily record budget", before.DailyRecordBudget, after.DailyRecordBudget, found);
        Cap("daily amount budget", before.DailyAmountBudget, after.DailyAmountBudget, found);
        var hasAmounts = after.MaxAmountPerAction is not null || after.DailyAmountBudget is not null;
        if (hasAmounts && !string.Equals(before.Currency, after.Currency, StringComparison.Ordinal))
            found.Add(new Widening("currency", before.Currency ?? "none", after.Currency ?? "none"));
    }

    // No cap means no limit: removing a cap widens, adding one narrows.
    private static void Cap(string field, decimal? before, decimal? after, List<Widening> found)
    {
        if (before is null)
            return;
        if (after is null || after > before)
            found.Add(new Widening(field, Number(before), after is null ? "no limit" : Number(after)));
    }

    private static string Number(decimal? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no limit";

    private static string Words(IEnumerable<OperationKind> operations) => string.Join("/", operations).ToLowerInvariant();
}
