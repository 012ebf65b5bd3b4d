using System.Globalization;
using System.Text;

namespace Warden.Bench;

/// <summary>A Markdown table, so a run can be pasted into docs/benchmarks.md as printed.</summary>
public static class ResultTable
{
    public static string Render(IReadOnlyList<CaseResult> results)
    {
        var table = new StringBuilder();
        table.AppendLine("| case | page | p50 ms | p95 ms | max ms | rows | total |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Case.Name} | {r.Page} | {r.P50:F1} | {r.P95:F1} | {r.Max:F1} | {r.Rows} | {r.Total:N0} |");
        }
        return table.ToString();
    }

    public static string Summary(IReadOnlyList<CaseResult> results, double targetMilliseconds)
    {
        var over = results.Where(r => r.P95 > targetMilliseconds).ToList();
        var slowest = results.MaxBy(r => r.P95)!;
        var lines = new StringBuilder();
        lines.AppendLine(CultureInfo.InvariantCulture,
            $"{results.Count} cases; slowest p95 {slowest.P95:F1} ms ({slowest.Case.Name}); highest max {results.Max(r => r.Max):F1} ms.");
        lines.AppendLine(over.Count == 0
            ? string.Create(CultureInfo.InvariantCulture, $"Every case has p95 <= {targetMilliseconds} ms.")
            : string.Create(CultureInfo.InvariantCulture, $"{over.Count} cases have p95 > {targetMilliseconds} ms: {string.Join("; ", over.Select(r => r.Case.Name))}."));
        return lines.ToString();
    }
}
