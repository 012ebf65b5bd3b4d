namespace Warden.Domain.Agents;

/// <summary>Upper bounds on what one action, and one day of actions, may touch or spend.</summary>
public sealed record ImpactCaps(
    int? MaxRecordsPerAction = null,
    decimal? MaxAmountPerAction = null,
    long? DailyRecordBudget = null,
    decimal? DailyAmountBudget = null,
    string? Currency = null)
{
    public static readonly ImpactCaps None = new();

    public Result Validate()
    {
        if (MaxRecordsPerAction < 0 || MaxAmountPerAction < 0 || DailyRecordBudget < 0 || DailyAmountBudget < 0)
            return AgentErrors.NegativeCap;
        var hasAmount = MaxAmountPerAction is not null || DailyAmountBudget is not null;
        if (hasAmount && (Currency is null || Currency.Length != 3 || !Currency.All(char.IsAsciiLetterUpper)))
            return AgentErrors.CurrencyRequired;
        if (MaxRecordsPerAction > DailyRecordBudget || MaxAmountPerAction > DailyAmountBudget)
            return AgentErrors.PerActionAboveDaily;
        return Result.Success();
    }
}
