using System.Net.Sockets;
using Npgsql;
using Warden.Infrastructure.Hosting;

namespace Warden.Infrastructure.Storage;

/// <summary>
/// A session-level advisory lock on one connection of its own, held while an instance migrates and
/// seeds the database. Taking it waits for the server to accept connections (with backoff, for
/// <see cref="DatabaseOptions.StartupWaitSeconds"/>) and then for any other instance holding it.
/// </summary>
public sealed class PostgresStartupLock : IAsyncDisposable
{
    /// <summary>"Warden" in ASCII with a 1: the same on every instance, unlikely to meet another application's key.</summary>
    public const long Key = 0x5761_7264_656E_0001;

    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(4);

    private readonly NpgsqlConnection _connection;

    private PostgresStartupLock(NpgsqlConnection connection) => _connection = connection;

    public static async Task<PostgresStartupLock> AcquireAsync(
        string connectionString, DatabaseOptions options, TimeProvider clock, ILogger logger, CancellationToken cancellationToken)
    {
        var wait = TimeSpan.FromSeconds(options.StartupWaitSeconds);
        var connection = await ConnectAsync(connectionString, wait, clock, logger, cancellationToken);
        try
        {
            await using (var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection))
            {
                command.Parameters.AddWithValue("key", Key);
                if (await command.ExecuteScalarAsync(cancellationToken) is true)
                    return new PostgresStartupLock(connection);
            }
            DatabaseLog.WaitingForLock(logger);
            var timeout = (int)TimeSpan.FromSeconds(options.StartupLockSeconds).TotalMilliseconds;
            await using (var command = new NpgsqlCommand($"SET lock_timeout = {timeout}; SELECT pg_advisory_lock(@key)", connection))
            {
                command.CommandTimeout = options.StartupLockSeconds + 10;
                command.Parameters.AddWithValue("key", Key);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            return new PostgresStartupLock(connection);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            await connection.DisposeAsync();
            throw new StartupException(
                $"{Describe(connectionString)}: another instance has been preparing the database for over {options.StartupLockSeconds} s " +
                "(Database:StartupLockSeconds); check that instance's log, or stop it and start again.", ex);
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            await connection.DisposeAsync();
            throw new StartupException($"{Describe(connectionString)} stopped answering while this instance waited for the start-up lock: {ex.GetBaseException().Message}", ex);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", _connection);
            command.Parameters.AddWithValue("key", Key);
            await command.ExecuteScalarAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // The session ends below, and the server drops its locks with it.
        }
        await _connection.DisposeAsync();
    }

    /// <summary>"PostgreSQL at host:port database 'name'", for one-line start-up errors (never the password).</summary>
    public static string Describe(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        return $"PostgreSQL at {target.Host}:{target.Port} database '{target.Database}'";
    }

    /// <summary>The server did not answer (down, starting, unreachable), as opposed to answering with an error.</summary>
    public static bool IsUnreachable(Exception ex) => ex switch
    {
        PostgresException postgres => IsStartingUp(postgres),
        NpgsqlException or SocketException or TimeoutException => true,
        _ => ex.InnerException is { } inner && IsUnreachable(inner),
    };

    private static bool IsStartingUp(PostgresException ex) =>
        ex.SqlState is PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.AdminShutdown
            or PostgresErrorCodes.CrashShutdown || ex.SqlState.StartsWith("08", StringComparison.Ordinal);

    private static async Task<NpgsqlConnection> ConnectAsync(
        string connectionString, TimeSpan wait, TimeProvider clock, ILogger logger, CancellationToken cancellationToken)
    {
        // Its own physical connection: a pooled one could keep the session (and the lock) after disposal.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "warden-startup" };
        var deadline = clock.GetUtcNow() + wait;
        var delay = FirstDelay;
        while (true)
        {
            var connection = new NpgsqlConnection(builder.ConnectionString);
            try
            {
                await connection.OpenAsync(cancellationToken);
                return connection;
            }
            catch (Exception ex) when (IsUnreachable(ex) && !cancellationToken.IsCancellationRequested)
            {
                await connection.DisposeAsync();
                var left = deadline - clock.GetUtcNow();
                if (left <= TimeSpan.Zero)
                    throw new StartupException(
                        $"{Describe(connectionString)} cannot be reached (waited {wait.TotalSeconds:0} s, Database:StartupWaitSeconds): {ex.GetBaseException().Message}", ex);
                var pause = delay < left ? delay : left;
                DatabaseLog.Waiting(logger, Describe(connectionString), ex.GetBaseException().Message, (int)pause.TotalMilliseconds);
                await Task.Delay(pause, clock, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestDelay.Ticks));
            }
            catch (PostgresException ex)
            {
                await connection.DisposeAsync();
                throw new StartupException($"{Describe(connectionString)} refused the connection ({ex.SqlState}): {ex.MessageText}", ex);
            }
        }
    }
}
