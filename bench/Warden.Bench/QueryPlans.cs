using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Warden.Bench;

/// <summary>
/// For every case over the target (or the slowest few when none is): each statement the service
/// sent, how long SQLite takes to run it to the last row, and SQLite's plan for it.
/// </summary>
public static class QueryPlans
{
    private const int Slowest = 5;

    public static async Task PrintAsync(BenchHost host, DirectoryCaseRunner runner, IReadOnlyList<CaseResult> results, SeededDirectory seeded, CancellationToken cancellationToken)
    {
        var capture = host.Capture ?? throw new InvalidOperationException("Start the host with command capture to print plans.");
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath};Mode=ReadOnly");
        await connection.OpenAsync(cancellationToken);

        var over = results.Where(r => r.P95 > BenchSettings.TargetMilliseconds).ToList();
        var shown = new HashSet<string>(StringComparer.Ordinal);
        foreach (var result in over.Count > 0 ? over : results.OrderByDescending(r => r.P95).Take(Slowest))
        {
            capture.Clear();
            await runner.ExecuteAsync(result.Case, result.Page, seeded, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"## {result.Case.Name} (page {result.Page}, p95 {result.P95:F1} ms)"));
            foreach (var command in capture.Commands.Where(c => c.Sql.Contains("\"Agents\"", StringComparison.Ordinal)))
            {
                if (!shown.Add(command.Sql))
                {
                    Console.WriteLine("-- (statement shown above)");
                    continue;
                }
                var median = await MedianRunAsync(connection, command, cancellationToken);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"-- runs in {median:F1} ms"));
                Console.WriteLine(command.Sql);
                foreach (var (name, value) in command.Parameters)
                    Console.WriteLine($"--   {name} = {value}");
                foreach (var step in await PlanAsync(connection, command, cancellationToken))
                    Console.WriteLine($"--   plan: {step}");
                Console.WriteLine();
            }
        }
    }

    private static async Task<double> MedianRunAsync(SqliteConnection connection, CapturedCommand captured, CancellationToken cancellationToken)
    {
        var timings = new double[7];
        for (var i = 0; i < timings.Length; i++)
        {
            await using var command = Prepare(connection, captured.Sql, captured);
            var started = Stopwatch.GetTimestamp();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                }
            }
            timings[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        Array.Sort(timings);
        return timings[timings.Length / 2];
    }

    private static async Task<List<string>> PlanAsync(SqliteConnection connection, CapturedCommand captured, CancellationToken cancellationToken)
    {
        await using var command = Prepare(connection, "EXPLAIN QUERY PLAN " + captured.Sql, captured);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var steps = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
            steps.Add(reader.GetString(3));
        return steps;
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, CapturedCommand captured)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // The text is the SQL the app itself sent, replayed with its own parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in captured.Parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
