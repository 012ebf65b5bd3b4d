using System.Globalization;
using Microsoft.Data.Sqlite;
using Warden.Domain.Audit;

namespace Warden.LoadBench;

/// <summary>
/// A database that already holds decisions (<c>--seed-decisions N</c>): N decisions of the load agents,
/// evenly over the 30 days up to the run, each with its audit event, written straight into SQLite
/// before the app process starts, as the evidence bench writes its events: one prepared statement per
/// table, 100,000 decisions per transaction, the events a valid continuation of the hash chain and
/// each transaction's head sealed with the app's key, so the app starts on it as on its own. Of every
/// 50, as in the measured mix: 45 allowed, 4 denied, 1 held (its request expired unanswered). The
/// alert follower's cursor is moved to the new head, as if it had kept up.
/// </summary>
public static class DecisionHistory
{
    private const int Days = 30;
    private const int PerTransaction = 100_000;

    public static void Seed(string dataDirectory, IReadOnlyList<string> agents, int count, DateTimeOffset now, AuditCheckpointSigner signer)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "warden.db")};Pooling=False");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=OFF;";
            pragma.ExecuteNonQuery();
        }
        var (sequence, hash) = (0L, AuditChain.GenesisHash);
        using (var last = connection.CreateCommand())
        {
            last.CommandText = "SELECT Sequence, Hash FROM AuditEvents ORDER BY Sequence DESC LIMIT 1";
            using var reader = last.ExecuteReader();
            if (reader.Read())
                (sequence, hash) = (reader.GetInt64(0), reader.GetString(1));
        }

        var transaction = connection.BeginTransaction();
        using var decision = Prepare(connection, transaction,
            "INSERT INTO Decisions (Id, AgentId, DecidedAt, Tool, Operation, Resource, Parameters, Records, Amount, Currency, ImpactDeclared, Justification, " +
            "Outcome, State, Reasons, RiskTier, PolicyVersion, MatchedRuleId, IsViolation, RequestDigest, RequiredApprovals, ExpiresAt, Version) " +
            "VALUES ($id, $agent, $at, $tool, $op, $resource, '{\"note\":\"load\"}', 1, '0', NULL, 1, NULL, $outcome, $state, $reasons, $risk, 'v1', $rule, 0, " +
            "'digest', $required, $expires, 0)",
            "$id", "$agent", "$at", "$tool", "$op", "$resource", "$outcome", "$state", "$reasons", "$risk", "$rule", "$required", "$expires");
        using var approval = Prepare(connection, transaction,
            "INSERT INTO ApprovalRequests (Id, DecisionId, AgentId, OwnerId, RequiredApprovals, EligibleRole, RiskTier, RuleId, OpenedAt, ExpiresAt, State, " +
            "ResolvedAt, ResolutionReason, Version) VALUES ($id, $decision, $agent, 'bench-owner', 1, 'SecurityOfficer', 'Medium', 'hold-writes', " +
            "$opened, $expires, 'Expired', $expires, 'No decision before the deadline.', 0)",
            "$id", "$decision", "$agent", "$opened", "$expires");
        using var audit = Prepare(connection, transaction,
            "INSERT INTO AuditEvents (Sequence, At, ActorKind, ActorId, ActorName, Kind, Subject, Data, PreviousHash, Hash) " +
            "VALUES ($s, $at, $ak, $aid, $an, $k, $sub, $d, $ph, $h)",
            "$s", "$at", "$ak", "$aid", "$an", "$k", "$sub", "$d", "$ph", "$h");

        var start = now.AddDays(-Days);
        var step = (now.AddMinutes(-1) - start).Ticks / Math.Max(1, count);
        AuditEvent? head = null;
        for (var i = 0; i < count; i++)
        {
            var agent = agents[i % agents.Count];
            var at = start.AddTicks(step * i);
            var id = string.Create(CultureInfo.InvariantCulture, $"dec_seed{i:D10}");
            var slot = i % 50;
            var (tool, op, resource, outcome, state, reasons, risk, rule, held) = slot < 45
                ? (BenchAgents.ReadTool, "read", $"crm/accounts/{i}", "Allow", "Allowed", "allowed_by_autonomy", "low", "allow-reads", false)
                : slot < 49
                    ? (BenchAgents.DeleteTool, "delete", $"prod/records/{i}", "Deny", "Denied", "policy_deny", "high", "deny-prod-deletes", false)
                    : (BenchAgents.ChangeTool, "write", $"crm/accounts/{i}", "Pending", "Expired", "autonomy_requires_approval", "medium", "hold-writes", true);
            var expires = held ? at.AddHours(4).UtcTicks : (object?)null;
            Set(decision, id, agent, at.UtcTicks, tool, op, resource, outcome, state,
                $$"""[{"code":"{{reasons}}","message":"bench"}]""", risk, rule, held ? 1 : 0, expires);
            decision.ExecuteNonQuery();
            if (held)
            {
                Set(approval, "apr_" + id[4..], id, agent, at.UtcTicks, expires);
                approval.ExecuteNonQuery();
            }
            var data = string.Create(CultureInfo.InvariantCulture,
                $$"""{"decision":"{{id}}","tool":"{{tool}}","operation":"{{op}}","resource":"{{resource}}","outcome":"{{outcome.ToLowerInvariant()}}","reasons":[{"code":"{{reasons}}","message":"bench"}],"riskTier":"{{risk}}","policyVersion":"v1","rule":"{{rule}}","violation":false,"digest":"digest"}""");
            var e = AuditEvent.Chain(++sequence, hash, at, AuditActor.Agent(agent, agent), $"decision.{state.ToLowerInvariant()}", id, data);
            hash = e.Hash;
            head = e;
            Set(audit, e.Sequence, e.At.UtcTicks, e.ActorKind.ToString(), e.ActorId, e.ActorName, e.Kind, e.Subject, e.Data, e.PreviousHash, e.Hash);
            audit.ExecuteNonQuery();
            if ((i + 1) % PerTransaction == 0 || i + 1 == count)
            {
                Seal(connection, transaction, signer.Sign(e.Sequence, e.Hash, e.At));
                transaction.Commit();
                transaction.Dispose();
                transaction = connection.BeginTransaction();
                decision.Transaction = approval.Transaction = audit.Transaction = transaction;
            }
        }
        if (head is not null)
        {
            using var cursor = connection.CreateCommand();
            cursor.Transaction = transaction;
            cursor.CommandText = "UPDATE AlertCursors SET Position = $s";
            cursor.Parameters.AddWithValue("$s", head.Sequence);
            cursor.ExecuteNonQuery();
        }
        transaction.Commit();
        transaction.Dispose();
    }

    private static void Seal(SqliteConnection connection, SqliteTransaction transaction, AuditCheckpoint seal)
    {
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT OR REPLACE INTO AuditCheckpoints (Sequence, Hash, At, Signature) VALUES ($s, $h, $at, $sig)";
        insert.Parameters.AddWithValue("$s", seal.Sequence);
        insert.Parameters.AddWithValue("$h", seal.Hash);
        insert.Parameters.AddWithValue("$at", seal.At.UtcTicks);
        insert.Parameters.AddWithValue("$sig", seal.Signature);
        insert.ExecuteNonQuery();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var name in names)
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
        return command;
    }

    private static void Set(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
