using System.Globalization;
using Warden.Domain.Agents;

namespace Warden.Domain.Decisions;

/// <summary>
/// What an outcome reported beyond what its request declared, or beyond the agent's per-action caps.
/// Either is a violation: the declaration is what the decision (its caps, budgets and rules) was made
/// on. The figures beyond the declaration count toward the agent's running totals.
/// </summary>
public sealed record ImpactExcess(string Code, string Message, int ExtraRecords, decimal ExtraAmount)
{
    /// <summary>
    /// The excess of a reported outcome, or null when it stayed within its declaration and the caps. A
    /// figure the outcome does not report is not checked.
    /// </summary>
    public static ImpactExcess? Of(int declaredRecords, decimal declaredAmount, int? reportedRecords, decimal? reportedAmount, ImpactCaps caps)
    {
        ArgumentNullException.ThrowIfNull(caps);
        var extraRecords = reportedRecords is { } records && records > declaredRecords ? records - declaredRecords : 0;
        var extraAmount = reportedAmount is { } amount && amount > declaredAmount ? amount - declaredAmount : 0m;
        var overCap = new List<string>(2);
        if (reportedRecords > caps.MaxRecordsPerAction)
            overCap.Add(Format($"{reportedRecords} records against a cap of {caps.MaxRecordsPerAction} per action"));
        if (reportedAmount > caps.MaxAmountPerAction)
            overCap.Add(Format($"{reportedAmount} {caps.Currency} against a cap of {caps.MaxAmountPerAction} per action"));
        if (overCap.Count > 0)
            return new ImpactExcess(DecisionCodes.ImpactOverCap,
                $"The outcome reported {string.Join(" and ", overCap)}{Declared(declaredRecords, declaredAmount)}.", extraRecords, extraAmount);
        if (extraRecords == 0 && extraAmount == 0m)
            return null;
        var over = new List<string>(2);
        if (extraRecords > 0)
            over.Add(Format($"{reportedRecords} records"));
        if (extraAmount > 0m)
            over.Add(Format($"an amount of {reportedAmount}"));
        return new ImpactExcess(DecisionCodes.ImpactOverReported,
            $"The outcome reported {string.Join(" and ", over)}, more than the request declared{Declared(declaredRecords, declaredAmount)}.", extraRecords, extraAmount);
    }

    private static string Declared(int records, decimal amount) =>
        Format($" (declared: {records} records, amount {amount})");

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
