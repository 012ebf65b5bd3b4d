using System.Globalization;
using Npgsql;

namespace Warden.Cluster.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL 15 cluster: initdb into a temporary folder (as the unprivileged
/// <c>postgres</c> user when the tests run as root, since initdb refuses root), started with pg_ctl on
/// a free port and a socket folder of its own, and removed on dispose. It can be stopped and started
/// again on the same port, so apps connected to it see a database that goes away and comes back.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string DefaultBinaries = "/usr/lib/postgresql/15/bin";
    private static readonly TimeSpan CommandPatience = TimeSpan.FromSeconds(60);
    private static int _databases;

    private readonly string _binaries = Environment.GetEnvironmentVariable("WARDEN_POSTGRES_BIN") is { Length: > 0 } bin ? bin : DefaultBinaries;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "warden-pg-" + Guid.NewGuid().ToString("N")[..10]);

    public int Port { get; private set; }

    public bool IsRunning { get; private set; }

    private string DataFolder => Path.Combine(_root, "data");

    private string LogFile => Path.Combine(_root, "server.log");

    private static bool IsRoot => Environment.UserName == "root";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Path.Combine(_binaries, "initdb")))
            throw new InvalidOperationException(
                $"The cluster tests need PostgreSQL 15, but {Path.Combine(_binaries, "initdb")} is missing: install it (apt-get install -y postgresql-15, " +
                "which ./test.sh does when it runs as root) or point WARDEN_POSTGRES_BIN at its bin folder.");
        Directory.CreateDirectory(_root);
        if (IsRoot)
            await MustAsync("chown", ["postgres:", _root]);
        await MustAsync(Tool("initdb"), ["-D", DataFolder, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"], asPostgres: true);
        // A port can be taken between choosing and binding it (other clusters start on this machine too).
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort.Next();
            try
            {
                await StartAsync();
                return;
            }
            catch (InvalidOperationException ex) when (attempt < 3 && ex.Message.Contains("could not bind", StringComparison.Ordinal))
            {
            }
        }
    }

    /// <summary>Starts the server (again) on its port; returns once it accepts connections.</summary>
    public async Task StartAsync()
    {
        var settings = string.Join(' ',
            $"-p {Port.ToString(CultureInfo.InvariantCulture)}", $"-k {_root}", "-c listen_addresses=127.0.0.1",
            "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off", "-c max_connections=200");
        await MustAsync(Tool("pg_ctl"), ["-D", DataFolder, "-l", LogFile, "-w", "-t", "60", "-o", settings, "start"], asPostgres: true);
        IsRunning = true;
    }

    /// <summary>Stops the server: "fast" ends every session cleanly; "immediate" is like a crash.</summary>
    public async Task StopAsync(string mode = "fast")
    {
        await MustAsync(Tool("pg_ctl"), ["-D", DataFolder, "-m", mode, "-w", "-t", "60", "stop"], asPostgres: true);
        IsRunning = false;
    }

    /// <summary>
    /// Suspends the server and every session process (SIGSTOP): connections stay open and nothing
    /// answers, as with a hung disk or host. Returns the process ids for <see cref="ThawAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<int>> FreezeAsync()
    {
        var postmaster = int.Parse((await File.ReadAllLinesAsync(Path.Combine(DataFolder, "postmaster.pid")))[0], CultureInfo.InvariantCulture);
        var (_, children) = await ProcessRunner.RunAsync("ps", ["-o", "pid=", "--ppid", postmaster.ToString(CultureInfo.InvariantCulture)], CommandPatience);
        var pids = children.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => int.Parse(p, CultureInfo.InvariantCulture)).Prepend(postmaster).ToList();
        await SignalAsync("-STOP", pids);
        return pids;
    }

    public static Task ThawAsync(IReadOnlyList<int> pids) => SignalAsync("-CONT", pids);

    private static async Task SignalAsync(string signal, IEnumerable<int> pids)
    {
        var (exitCode, output) = await ProcessRunner.RunAsync("kill", [signal, .. pids.Select(p => p.ToString(CultureInfo.InvariantCulture))], CommandPatience);
        if (exitCode != 0)
            throw new InvalidOperationException($"kill {signal} failed: {output}");
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Database = database, Username = "postgres" }.ConnectionString;

    /// <summary>An empty database with a fresh name.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"warden_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await using var connection = await OpenAsync("postgres");
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    public async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = await OpenAsync(database);
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(value!, typeof(T), CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<T>> ColumnAsync<T>(string database, string sql)
    {
        await using var connection = await OpenAsync(database);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<T>();
        while (await reader.ReadAsync())
            values.Add(reader.GetFieldValue<T>(0));
        return values;
    }

    public Task<string> ReadLogAsync() => File.Exists(LogFile) ? File.ReadAllTextAsync(LogFile) : Task.FromResult(string.Empty);

    public async ValueTask DisposeAsync()
    {
        if (IsRunning)
        {
            try
            {
                await StopAsync("immediate");
            }
            catch (InvalidOperationException)
            {
                // Removing the folder below is what matters; a server left running dies with its files.
            }
        }
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left to the system's temp clean-up.
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(string database)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString(database)) { Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private string Tool(string name) => Path.Combine(_binaries, name);

    private async Task MustAsync(string fileName, string[] arguments, bool asPostgres = false)
    {
        var (command, args) = asPostgres && IsRoot ? ("runuser", (string[])["-u", "postgres", "--", fileName, .. arguments]) : (fileName, arguments);
        var (exitCode, output) = await ProcessRunner.RunAsync(command, args, CommandPatience);
        if (exitCode != 0)
            throw new InvalidOperationException(
                $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} failed with exit code {exitCode}:\n{output}\n--- server log ---\n{await ReadLogAsync()}");
    }
}
