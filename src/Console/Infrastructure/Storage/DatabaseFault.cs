using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Warden.Infrastructure.Storage;

/// <summary>Whether an exception means the database could not do the work (down, locked, full, timed out), not a bug in the request.</summary>
public static class DatabaseFault
{
    // SQLite result codes: BUSY, LOCKED, NOMEM, READONLY, IOERR, CORRUPT, FULL, CANTOPEN, PROTOCOL.
    private static readonly HashSet<int> SqliteFaults = [5, 6, 7, 8, 10, 11, 13, 14, 15];

    public static bool Is(Exception exception) => Chain(exception).Any(IsFault);

    private static bool IsFault(Exception ex) => ex switch
    {
        SqliteException sqlite => SqliteFaults.Contains(sqlite.SqliteErrorCode & 0xFF),
        // The server answered, but with a fault of its own (out of space or connections, shutting down,
        // a statement or lock timeout) or the connection broke: nothing the caller did wrong.
        PostgresException postgres => postgres.SqlState[..2] is "08" or "53" or "55" or "57" or "58" or "40" or "XX",
        NpgsqlException => true,
        // A write that failed at commit (including a conflict with another instance's write).
        DbUpdateException => true,
        DbException or TimeoutException => true,
        _ => false,
    };

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        while (pending.TryPop(out var current))
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                    pending.Push(inner);
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}
