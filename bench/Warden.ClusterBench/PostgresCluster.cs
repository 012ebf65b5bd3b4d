using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Warden.ClusterBench;

/// <summary>
/// A throwaway PostgreSQL 15 cluster of the harness's own: initdb (as the <c>postgres</c> user when the
/// harness runs as root, since initdb refuses root) into a new temporary folder, a free port and a
/// socket folder of its own. Disposing stops it (immediate) and deletes the folder, also after a failure.
/// </summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    private const string Binaries = "/usr/lib/postgresql/15/bin";
    private const string DatabaseName = "warden";

    private readonly string _root;
    private readonly string _data;
    private readonly string _sockets;
    private bool _started;
    private int _stopped;

    private PostgresCluster(string root, int port)
    {
        _root = root;
        _data = Path.Combine(root, "data");
        _sockets = Path.Combine(root, "sockets");
        Port = port;
    }

    public int Port { get; }

    public string Version { get; private set; } = "unknown";

    /// <summary>What both instances use: TCP on the loopback, trust authentication, the bench database.</summary>
    public string ConnectionString(int? port = null) =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={port ?? Port};Username=postgres;Database={DatabaseName};Maximum Pool Size=100");

    public static async Task<PostgresCluster> StartAsync()
    {
        if (!File.Exists(Path.Combine(Binaries, "initdb")))
            throw new InvalidOperationException($"PostgreSQL 15 is not installed under {Binaries}.");
        var root = Directory.CreateTempSubdirectory("warden-clusterbench-pg-").FullName;
        var cluster = new PostgresCluster(root, FreePort());
        try
        {
            await cluster.InitAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task InitAsync()
    {
        Directory.CreateDirectory(_sockets);
        if (Environment.UserName == "root")
            await RunAsync("chown", ["-R", "postgres:postgres", _root], asPostgres: false);
        await RunAsync(Path.Combine(Binaries, "initdb"), ["-D", _data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"], asPostgres: true);
        var options = string.Create(CultureInfo.InvariantCulture,
            $"-p {Port} -k {_sockets} -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=128MB");
        _started = true;
        await RunAsync(Path.Combine(Binaries, "pg_ctl"), ["-D", _data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "-o", options, "start"], asPostgres: true);
        await using var admin = new NpgsqlConnection(string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false"));
        await admin.OpenAsync();
        await using (var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName}", admin))
            await create.ExecuteNonQueryAsync();
        await using (var version = new NpgsqlCommand("SHOW server_version", admin))
            Version = (string)(await version.ExecuteScalarAsync())!;
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    /// <summary>Stops the server and deletes its folder; safe to call twice (also from a process-exit handler).</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
            return;
        NpgsqlConnection.ClearAllPools();
        if (_started)
        {
            try
            {
                RunAsync(Path.Combine(Binaries, "pg_ctl"), ["-D", _data, "-m", "immediate", "-w", "stop"], asPostgres: true).GetAwaiter().GetResult();
            }
            catch (InvalidOperationException ex)
            {
                Console.Error.WriteLine($"Stopping the PostgreSQL cluster failed: {ex.Message}");
            }
        }
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"Could not delete {_root}: {ex.Message}");
        }
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres && Environment.UserName == "root" ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres && Environment.UserName == "root")
        {
            foreach (var argument in new[] { "-u", "postgres", "--", file })
                start.ArgumentList.Add(argument);
        }
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} exited with {process.ExitCode}: {await error}{await output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
