using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Warden.Cluster.Tests.Support;

/// <summary>
/// One real Warden process (<c>dotnet Warden.dll</c>, the built console) on a port of its own, with its
/// own data folder as a separate machine would have. Its output is kept for failure messages; it can be
/// stopped (SIGTERM), killed and started again on the same port.
/// </summary>
public sealed class WardenInstance : IAsyncDisposable
{
    public static readonly TimeSpan ReadyPatience = TimeSpan.FromSeconds(120);
    private const int OutputLinesKept = 400;

    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly bool _demo;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;
    private int _starts;

    public WardenInstance(string name, string dataDirectory, IReadOnlyDictionary<string, string> settings, bool demo)
    {
        Name = name;
        DataDirectory = dataDirectory;
        _settings = settings;
        _demo = demo;
        Port = FreePort.Next();
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public string Name { get; }

    public int Port { get; }

    public string DataDirectory { get; }

    public Uri BaseAddress => new($"http://localhost:{Port.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>A client for this instance; requests carry no cookies unless a test adds them.</summary>
    public HttpClient Http { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The last lines this instance printed (stdout and stderr), over all its starts.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Starts the process and returns at once; <see cref="WaitUntilReadyAsync"/> waits for it.</summary>
    public void Start()
    {
        if (IsRunning)
            throw new InvalidOperationException($"Instance {Name} is already running.");
        Directory.CreateDirectory(DataDirectory);
        var start = new ProcessStartInfo
        {
            FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet",
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        if (_demo)
            start.ArgumentList.Add("--demo");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Urls"] = BaseAddress.ToString().TrimEnd('/');
        start.Environment["Database__DataDirectory"] = DataDirectory;
        foreach (var (key, value) in _settings)
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var run = Interlocked.Increment(ref _starts);
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        Keep($"--- instance {Name}: start {run} on port {Port} ---");
        if (!process.Start())
            throw new InvalidOperationException($"Instance {Name} did not start.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>Waits until GET /readyz answers 200; fails with the instance's output if it exits or takes too long.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan? patience = null)
    {
        var limit = patience ?? ReadyPatience;
        var clock = Stopwatch.StartNew();
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (_process is not { } process)
                throw new InvalidOperationException($"Instance {Name} was never started.");
            if (process.HasExited)
                throw new InvalidOperationException($"Instance {Name} exited with code {process.ExitCode} before it was ready.\n{Output}");
            try
            {
                using var response = await probe.GetAsync(new Uri("readyz", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but slow to answer while it starts.
            }
            if (clock.Elapsed > limit)
                throw new TimeoutException($"Instance {Name} was not ready after {limit.TotalSeconds:0} s.\n{Output}");
            await Task.Delay(200);
        }
    }

    public async Task StartAndWaitAsync()
    {
        Start();
        await WaitUntilReadyAsync();
    }

    /// <summary>Asks the process to stop (SIGTERM, as a service manager would) and waits; kills it if it lingers.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
            return;
        await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    /// <summary>Ends the process at once, as a crash or a lost machine would.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAndWaitAsync();
    }

    public override string ToString() => $"instance {Name} {BaseAddress}";

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        Http.Dispose();
        await Task.CompletedTask;
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        _output.Enqueue(line);
        while (_output.Count > OutputLinesKept && _output.TryDequeue(out _))
        {
        }
    }
}
