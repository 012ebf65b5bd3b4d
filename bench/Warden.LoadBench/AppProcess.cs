using System.Diagnostics;
using System.Globalization;

namespace Warden.LoadBench;

/// <summary>
/// The real app as a child process: the Release build output of src/Console, started with
/// <c>--demo</c> over a fresh data folder, the repository root as working directory. Disposing stops
/// it (SIGTERM, then a kill after a grace period) and deletes the data folder.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
    private const int TailLines = 40;

    private readonly Process _process;
    private readonly string _dataDirectory;
    private readonly bool _keepDatabase;
    private readonly Queue<string> _tail = new();

    private AppProcess(Process process, string dataDirectory, bool keepDatabase, Uri baseAddress)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        _keepDatabase = keepDatabase;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public string DataDirectory => _dataDirectory;

    /// <summary>The CPU time the app process has used so far (user and system, every thread).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>A new, empty data folder for <see cref="StartAsync"/>.</summary>
    public static string NewDataDirectory()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "warden-loadbench-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dataDirectory);
        return dataDirectory;
    }

    /// <summary>Starts the app on <paramref name="dataDirectory"/> (deleted on dispose unless kept).</summary>
    public static async Task<AppProcess> StartAsync(LoadSettings settings, string dataDirectory, CancellationToken cancellationToken)
    {
        var root = RepositoryRoot();
        var dll = Path.Combine(root, "src", "Console", "bin", settings.Configuration, "net10.0", "Warden.dll");
        if (!File.Exists(dll))
            throw new FileNotFoundException($"Build the app first: dotnet build -c {settings.Configuration} Console.sln", dll);

        var baseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://localhost:{settings.Port}"));

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            dll, "--demo", $"--Urls={baseAddress.ToString().TrimEnd('/')}", $"--Database:DataDirectory={dataDirectory}", "--Demo:RunAgents=false",
            "--AgentApi:CallsPerMinute=1000000000",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var app = new AppProcess(process, dataDirectory, settings.KeepDatabase, baseAddress);
        process.OutputDataReceived += (_, e) => app.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => app.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await app.WaitUntilAnsweringAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    public string OutputTail()
    {
        lock (_tail)
            return string.Join(Environment.NewLine, _tail);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            SendTerminate(_process.Id);
            using var grace = new CancellationTokenSource(StopGrace);
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        _process.Dispose();

        if (_keepDatabase)
        {
            Console.WriteLine($"Database kept in {_dataDirectory}");
            return;
        }
        for (var attempt = 1; Directory.Exists(_dataDirectory); attempt++)
        {
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException) when (attempt < 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
        }
    }

    private async Task WaitUntilAnsweringAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.GetTimestamp() + (long)(StartTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The app exited with code {_process.ExitCode} before answering:{Environment.NewLine}{OutputTail()}");
            try
            {
                using var response = await client.GetAsync(new Uri("/Account/Login", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Listening but still starting.
            }
            if (Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException($"The app did not answer /Account/Login within {StartTimeout.TotalSeconds} s:{Environment.NewLine}{OutputTail()}");
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
            return;
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > TailLines)
                _tail.Dequeue();
        }
    }

    /// <summary>Lets the app shut down as it would under a service manager before it is killed.</summary>
    private static void SendTerminate(int processId)
    {
        try
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", processId.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false });
            kill?.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No kill command: the grace period ends in Process.Kill.
        }
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Console.sln")))
                return directory.FullName;
        }
        throw new DirectoryNotFoundException("Console.sln not found above " + AppContext.BaseDirectory);
    }
}
