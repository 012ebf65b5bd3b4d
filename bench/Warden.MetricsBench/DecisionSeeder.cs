using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Warden.MetricsBench;

/// <summary>
/// Writes decisions straight into SQLite with one prepared statement in large transactions, spread
/// evenly over two periods (so the previous period is as full as the current one). One decision in
/// twenty is a violation, a third of those refused by the allowlist.
/// </summary>
internal static class DecisionSeeder
{
    private static readonly string[] Names = ["$id", "$agent", "$at", "$tool", "$resource", "$outcome", "$state", "$reasons", "$violation", "$severity"];
    private static readonly string[] Codes = ["tool_not_allowed", "resource_out_of_scope", "rate_limited", "cap_exceeded", "operation_not_allowed", "daily_budget_exceeded"];

    public static void Seed(string dataDirectory, int count, int agents, DateTimeOffset start, DateTimeOffset end)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "warden.db")};Pooling=False");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=OFF;";
            pragma.ExecuteNonQuery();
        }
        var step = (end - start).Ticks / Math.Max(1, count);
        var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO Decisions (Id, AgentId, DecidedAt, Tool, Operation, Resource, Records, Amount, Outcome, State, Reasons, PolicyVersion, " +
                             "IsViolation, ViolationSeverity, RequestDigest, RequiredApprovals, Version) " +
                             "VALUES ($id, $agent, $at, $tool, 'read', $resource, 1, '0', $outcome, $state, $reasons, 'v1', $violation, $severity, 'digest', 0, 0)";
        var parameters = Names.Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        insert.Transaction = transaction;
        insert.Prepare();
        for (var i = 0; i < count; i++)
        {
            var violation = i % 20 == 0;
            var code = violation ? Codes[i / 20 % Codes.Length] : "allowed_by_policy";
            parameters[0].Value = $"dec_bench_{i:D9}";
            parameters[1].Value = $"agt_bench_{i % agents:D4}";
            parameters[2].Value = start.UtcTicks + step * i;
            parameters[3].Value = $"tool.{i % 7}";
            parameters[4].Value = string.Create(CultureInfo.InvariantCulture, $"crm/accounts/{i % 1000}");
            parameters[5].Value = violation ? "Deny" : "Allow";
            parameters[6].Value = violation ? "Denied" : "Allowed";
            parameters[7].Value = $"[{{\"code\":\"{code}\",\"message\":\"bench\"}}]";
            parameters[8].Value = violation ? 1 : 0;
            parameters[9].Value = violation ? "Medium" : DBNull.Value;
            insert.ExecuteNonQuery();
            if (i % 100_000 == 99_999)
            {
                transaction.Commit();
                transaction.Dispose();
                transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
            }
        }
        transaction.Commit();
        transaction.Dispose();
        using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE;";
        analyze.ExecuteNonQuery();
    }
}
