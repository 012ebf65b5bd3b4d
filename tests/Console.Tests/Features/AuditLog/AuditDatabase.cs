using Microsoft.Data.Sqlite;
using Warden.Domain.Audit;

namespace Warden.Tests.Features.AuditLog;

/// <summary>
/// Direct access to an app's SQLite file, past Warden and its writer, as someone with a shell on the
/// server would have: the tampering in these tests goes through here.
/// </summary>
internal sealed class AuditDatabase(string dataDirectory)
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(dataDirectory, "warden.db"),
        Pooling = false,
    }.ToString();

    public async Task ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        await command.ExecuteNonQueryAsync();
    }

    public async Task ReadAsync(string sql, Action<SqliteDataReader> row, params (string Name, object? Value)[] parameters)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            row(reader);
    }

    public async Task<List<AuditEvent>> EventsAsync()
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Sequence, At, ActorKind, ActorId, ActorName, Kind, Subject, Data, PreviousHash, Hash FROM AuditEvents ORDER BY Sequence";
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<AuditEvent>();
        while (await reader.ReadAsync())
        {
            var fields = new AuditFields(
                reader.GetInt64(0),
                new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero),
                Enum.Parse<AuditActorKind>(reader.GetString(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetString(7));
            events.Add(AuditEvent.Restore(fields, reader.GetString(8), reader.GetString(9)));
        }
        return events;
    }

    public Task WriteAsync(AuditEvent e) => ExecuteAsync(
        """
        INSERT INTO AuditEvents (Sequence, At, ActorKind, ActorId, ActorName, Kind, Subject, Data, PreviousHash, Hash)
        VALUES ($sequence, $at, $actorKind, $actorId, $actorName, $kind, $subject, $data, $previousHash, $hash)
        """,
        ("$sequence", e.Sequence), ("$at", e.At.UtcTicks), ("$actorKind", e.ActorKind.ToString()), ("$actorId", e.ActorId),
        ("$actorName", e.ActorName), ("$kind", e.Kind), ("$subject", e.Subject), ("$data", e.Data),
        ("$previousHash", e.PreviousHash), ("$hash", e.Hash));

    /// <summary>Holds SQLite's write lock until the returned handle is disposed, so every writer queues behind it.</summary>
    public async Task<IAsyncDisposable> HoldWriteLockAsync()
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "BEGIN IMMEDIATE;";
            await command.ExecuteNonQueryAsync();
        }
        return new WriteLock(connection);
    }

    private sealed class WriteLock(SqliteConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "ROLLBACK;";
                await command.ExecuteNonQueryAsync();
            }
            await connection.DisposeAsync();
        }
    }
}
