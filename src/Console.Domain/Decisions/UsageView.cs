namespace Warden.Domain.Decisions;

/// <summary>What the agent has already used: requests counted in the current minute, and today's totals.</summary>
public readonly record struct UsageView(int RequestsThisMinute, long RecordsToday, decimal AmountToday)
{
    public static UsageView None => default;
}
