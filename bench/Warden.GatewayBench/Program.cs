using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Warden.ContainmentBench;
using Warden.LoadBench;

namespace Warden.GatewayBench;

/// <summary>
/// The MCP gateway's overhead, in one run: the same file read on the same upstream MCP server,
/// called directly (stdio) and through Warden's <c>/mcp</c>, beside the decision alone over HTTP;
/// at each concurrency, then the gateway's own steps one by one. Every measured call must be
/// allowed and return the file, or the run fails.
/// Usage: dotnet run -c Release --project bench/Warden.GatewayBench [-- --calls 2000 --warmup 200 --sessions 1,16 --breakdown-calls 500 --paths direct,gateway,list,decision --jit-log --alloc-log]
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var settings = BenchSettings.Parse(args);
        Console.WriteLine(MachineInfo.Describe(TimeProvider.System.GetUtcNow()));
        Console.WriteLine($"Environment.ProcessorCount: {Environment.ProcessorCount}");
        Console.WriteLine($"Load average (1, 5, 15 min) at start: {MachineInfo.LoadAverage()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Per path and concurrency: at least {settings.Warmup} warm-up calls (more until the JIT is quiet), then {settings.Calls} measured; sessions: {string.Join(", ", settings.Sessions)}"));
        Console.WriteLine();

        await using var host = new BenchHost();
        host.StartServer();
        var upstream = new UpstreamServer(host.Services.GetRequiredService<IHostEnvironment>().ContentRootPath, host.DataDirectory);
        if (!upstream.IsInstalled)
        {
            Console.Error.WriteLine($"{upstream.Script} is missing: run `npm ci --prefix tests/mcp-upstream` first.");
            return 2;
        }
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var setup = await BenchSetup.CreateAsync(host, upstream);
        var paths = new CallPaths(upstream, setup, http, new Uri(host.BaseAddress, "/mcp"));

        using var jitLog = settings.JitLog ? new JitLog() : null;
        using var allocationLog = settings.AllocationLog ? new AllocationLog() : null;
        var phases = new List<PhaseResult>();
        (long[][] Ticks, double[] BytesPerCall)? steps = null;
        try
        {
            foreach (var sessions in settings.Sessions)
            {
                if (settings.Measures(CallPaths.Direct))
                {
                    phases.Add(await MeasureAsync(CallPaths.Direct, () => paths.DirectAsync(sessions), settings, jitLog, allocationLog));
                    if (sessions > 1)
                        phases.Add(await MeasureAsync(CallPaths.DirectPerSession, () => paths.DirectPerSessionAsync(sessions), settings, jitLog, allocationLog));
                }
                if (settings.Measures(CallPaths.Gateway))
                    phases.Add(await MeasureAsync(CallPaths.Gateway, () => paths.GatewayAsync(sessions), settings, jitLog, allocationLog));
                if (settings.Measures("list"))
                    phases.Add(await MeasureAsync(CallPaths.GatewayList, () => paths.GatewayListAsync(sessions), settings, jitLog, allocationLog));
                if (settings.Measures(CallPaths.Decision))
                    phases.Add(await MeasureAsync(CallPaths.Decision, () => paths.DecisionAsync(sessions), settings, jitLog, allocationLog));
            }
            if (settings.BreakdownCalls > 0)
            {
                Console.WriteLine($"[gateway steps] load average at start: {MachineInfo.LoadAverage()}");
                steps = await new GatewaySteps(host.Services, setup.AgentId).RunAsync(settings.BreakdownCalls);
                Console.WriteLine($"[gateway steps] load average at end: {MachineInfo.LoadAverage()}");
            }
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine($"FAILED: {ex.Message}");
            return 1;
        }

        var gatewayCalls = phases.Where(p => p.Path == CallPaths.Gateway).Sum(p => p.WarmupCalls + p.Calls)
            + (steps is null ? 0 : settings.BreakdownCalls + Math.Min(settings.BreakdownCalls / 10, 100));
        var decisionCalls = phases.Where(p => p.Path == CallPaths.Decision).Sum(p => p.WarmupCalls + p.Calls);
        if (await DecisionCheck.VerifyAsync(host.Services, setup.AgentId, gatewayCalls + decisionCalls, gatewayCalls) is { } problem)
        {
            Console.Error.WriteLine($"FAILED: {problem}");
            return 1;
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Every call allowed and answered with the file's content: {gatewayCalls:N0} through the gateway (each a decision and an output review), {decisionCalls:N0} decisions."));
        Console.WriteLine();
        Print(ResultTable.Phases(phases));
        Console.WriteLine();
        Print(ResultTable.Runtime(phases));
        Console.WriteLine();
        Print(ResultTable.Overhead(phases));
        if (steps is not null)
        {
            Console.WriteLine();
            Print(ResultTable.Steps(steps.Value.Ticks, steps.Value.BytesPerCall));
        }
        Console.WriteLine();
        Console.WriteLine($"Load average (1, 5, 15 min) at end: {MachineInfo.LoadAverage()}");
        return 0;
    }

    private static async Task<PhaseResult> MeasureAsync(string path, Func<Task<IReadOnlyList<ICallSession>>> open, BenchSettings settings, JitLog? jitLog, AllocationLog? allocationLog)
    {
        var sessions = await open();
        try
        {
            var result = await ClosedLoop.RunAsync(path, sessions, settings.Warmup, settings.Calls, jitLog, allocationLog);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{path}, {result.Sessions} sessions] {result.WarmupCalls} warm-up calls, then {result.Calls} calls in {result.Elapsed.TotalSeconds:F1} s, p50 {result.Ms(0.5):F2} ms, p99 {result.Ms(0.99):F2} ms, CPU {result.CpuMsPerCall:F2} ms/call, {result.AllocatedKbPerCall:F0} KB/call, {result.JitMethodsPerCall:F2} JIT methods/call; load average {result.LoadStart} at start, {result.LoadEnd} at end"));
            return result;
        }
        finally
        {
            foreach (var session in sessions)
                await session.DisposeAsync();
        }
    }

    private static void Print(IEnumerable<string> lines)
    {
        foreach (var line in lines)
            Console.WriteLine(line);
    }
}
