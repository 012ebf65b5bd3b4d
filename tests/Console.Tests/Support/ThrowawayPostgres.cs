using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Warden.Tests.Support;

/// <summary>
/// A PostgreSQL 15 cluster of its own (the binaries in the image), initialised into a temporary folder
/// on a free port and removed on dispose. Run as the <c>postgres</c> user when the tests run as root.
/// <see cref="Available"/> is false where the binaries are missing.
/// </summary>
public sealed class ThrowawayPostgres : IDisposable
{
    private const string Binaries = "/usr/lib/postgresql/15/bin";
    private readonly DirectoryInfo _folder;

    private ThrowawayPostgres()
    {
        _folder = Directory.CreateTempSubdirectory("warden-pg-");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(_folder.FullName, (UnixFileMode)0x1FF);
        Port = FreePort();
        var data = Path.Combine(_folder.FullName, "data");
        Run("initdb", "-D", data, "-U", "postgres", "-A", "trust", "--no-sync");
        Run("pg_ctl", "-D", data, "-l", Path.Combine(_folder.FullName, "log"), "-w", "-o",
            $"-p {Port} -k {_folder.FullName} -c listen_addresses=127.0.0.1 -c fsync=off", "start");
    }

    public static bool Available => File.Exists(Path.Combine(Binaries, "initdb"));

    public int Port { get; }

    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Timeout=15";

    public static ThrowawayPostgres Start() => new();

    public void Dispose()
    {
        try
        {
            Run("pg_ctl", "-D", Path.Combine(_folder.FullName, "data"), "-m", "immediate", "-w", "stop");
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            _folder.Delete(recursive: true);
        }
    }

    private static void Run(string tool, params string[] arguments)
    {
        var asRoot = Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? "runuser" : Path.Combine(Binaries, tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (asRoot)
        {
            foreach (var prefix in new[] { "-u", "postgres", "--", Path.Combine(Binaries, tool) })
                start.ArgumentList.Add(prefix);
        }
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {error}{output.Result}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
