using System.Globalization;
using Microsoft.Data.Sqlite;
using Warden.Domain.Audit;

namespace Warden.EvidenceBench;

/// <summary>
/// Writes a valid hash chain of audit events straight into SQLite, one prepared statement in large
/// transactions, spread evenly over the period. Each event's data carries an e-mail and a card number,
/// already masked as the writer would store them, so the pack's masking runs on realistic text.
/// Each transaction seals its head with the app's key, as the writer does (ADR 0019).
/// </summary>
internal static class EventSeeder
{
    private static readonly string[] Kinds = ["decision.allowed", "decision.denied", "decision.pending", "decision.outcome_reported", "approval.voted", "agent.updated"];
    private static readonly string[] Columns = ["$s", "$at", "$ak", "$aid", "$an", "$k", "$sub", "$d", "$ph", "$h"];
    private static readonly string[] Agents = ["agt_demo_codereview", "agt_demo_payments", "agt_demo_support"];

    /// <summary>The actor, kind and subject of the <c>i</c>-th event.</summary>
    public delegate (AuditActor Actor, string Kind, string Subject) Shape(int i);

    private static (AuditActor Actor, string Kind, string Subject) EvidenceShape(int i)
    {
        var agent = Agents[i % Agents.Length];
        return (AuditActor.Agent(agent, agent), Kinds[i % Kinds.Length], agent);
    }

    public static void Seed(string dataDirectory, int count, DateTimeOffset start, DateTimeOffset end, AuditCheckpointSigner signer, Shape? shape = null)
    {
        shape ??= EvidenceShape;
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "warden.db")};Pooling=False");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=OFF;";
            pragma.ExecuteNonQuery();
        }
        using var last = connection.CreateCommand();
        last.CommandText = "SELECT Sequence, Hash FROM AuditEvents ORDER BY Sequence DESC LIMIT 1";
        var (sequence, hash) = (0L, AuditChain.GenesisHash);
        using (var reader = last.ExecuteReader())
        {
            if (reader.Read())
                (sequence, hash) = (reader.GetInt64(0), reader.GetString(1));
        }

        var step = (end - start).Ticks / Math.Max(1, count);
        var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO AuditEvents (Sequence, At, ActorKind, ActorId, ActorName, Kind, Subject, Data, PreviousHash, Hash) " +
                             "VALUES ($s, $at, $ak, $aid, $an, $k, $sub, $d, $ph, $h)";
        var p = Columns.Select(n => insert.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
        insert.Transaction = transaction;
        insert.Prepare();
        for (var i = 0; i < count; i++)
        {
            var (actor, kind, subject) = shape(i);
            // Stored audit data is masked already: personal data appears as the placeholders the masking service writes.
            var data = string.Create(CultureInfo.InvariantCulture,
                $$"""{"decision":"dec_{{i:D10}}","tool":"payments.refund","outcome":"allow","customer":"[email:{{i % 977:x8}}]","card":"[card:{{i % 10000:x8}}]","amount":{{i % 500}}.25}""");
            var e = AuditEvent.Chain(++sequence, hash, start.AddTicks(step * i), actor, kind, subject, data);
            hash = e.Hash;
            p[0].Value = e.Sequence;
            p[1].Value = e.At.UtcTicks;
            p[2].Value = e.ActorKind.ToString();
            p[3].Value = (object?)e.ActorId ?? DBNull.Value;
            p[4].Value = e.ActorName;
            p[5].Value = e.Kind;
            p[6].Value = e.Subject;
            p[7].Value = e.Data;
            p[8].Value = e.PreviousHash;
            p[9].Value = e.Hash;
            insert.ExecuteNonQuery();
            if ((i + 1) % 100_000 == 0)
            {
                Seal(connection, transaction, signer.Sign(e.Sequence, e.Hash, e.At));
                transaction.Commit();
                transaction.Dispose();
                transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
            }
        }
        if (count % 100_000 != 0)
        {
            using var head = connection.CreateCommand();
            head.Transaction = transaction;
            head.CommandText = "SELECT Sequence, Hash, At FROM AuditEvents ORDER BY Sequence DESC LIMIT 1";
            using var reader = head.ExecuteReader();
            if (reader.Read())
            {
                var seal = signer.Sign(reader.GetInt64(0), reader.GetString(1), new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero));
                reader.Close();
                Seal(connection, transaction, seal);
            }
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
}
