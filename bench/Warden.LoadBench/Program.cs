using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Warden.LoadBench;

// Load on the decision API of the real app, started as a child process over a fresh SQLite database.
// Usage: dotnet run -c Release --project bench/Warden.LoadBench
//        [-- --connections 32 --warmup 3 --duration 15 --rate 1000 --drain 10 --port 5391 --agents 16 --keep-database --demo-agents
//            --seed-decisions 1000000]
// By default the decisions are a stated mix (MixedDecisionScenario) from agents whose limits do not
// refuse the load; --demo-agents measures the earlier harness instead: reads from the three demo
// agents, which past their rate limits are mostly rate_limited refusals. --seed-decisions N starts the
// app on a database already holding N decisions of the load agents with their audit events.
internal static class LoadHarness
{
    public static async Task Main(string[] args)
    {
        var settings = LoadSettings.Parse(args);
        var clock = TimeProvider.System;
        var total = Stopwatch.StartNew();

        Console.WriteLine(MachineInfo.Describe(clock.GetUtcNow()));
        Console.WriteLine($"Load average (1, 5, 15 min) at start: {MachineInfo.LoadAverage()}");
        Console.WriteLine();

        string[] demoAgents = ["agt_demo_support", "agt_demo_payments", "agt_demo_codereview"];
        var dataDirectory = AppProcess.NewDataDirectory();
        IReadOnlyList<(string Id, string Secret)> benchAgents = [];
        if (!settings.DemoAgents)
        {
            var setup = Stopwatch.StartNew();
            benchAgents = await BenchAgents.RegisterAsync(dataDirectory, settings.Agents, settings.SeedDecisions);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Registered {benchAgents.Count} load agents ({BenchAgents.MaxRateDescription}) and seeded {settings.SeedDecisions:N0} earlier decisions with their audit events in {setup.Elapsed.TotalSeconds:F1} s."));
            Console.WriteLine($"Load average (1, 5, 15 min) after the setup: {MachineInfo.LoadAverage()}");
        }

        var results = new List<LoadResult>();
        await using (var app = await AppProcess.StartAsync(settings, dataDirectory, CancellationToken.None))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"App pid {app.ProcessId} answering on {app.BaseAddress} after {total.Elapsed.TotalSeconds:F1} s; data folder {app.DataDirectory}"));

            using var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = settings.Connections,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                UseCookies = false,
                AllowAutoRedirect = false,
            };
            using var client = new HttpClient(handler, disposeHandler: false)
            {
                BaseAddress = app.BaseAddress,
                Timeout = TimeSpan.FromSeconds(30),
                DefaultRequestVersion = HttpVersion.Version11,
                DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };

            Scenario decisions;
            IReadOnlyList<string> selfTokens;
            if (settings.DemoAgents)
            {
                var tokens = await AgentTokens.GetAsync(client, demoAgents.Select(id => (id, AgentTokens.DemoSecret)), CancellationToken.None);
                Console.WriteLine($"Tokens for {string.Join(", ", tokens.Keys)}.");
                decisions = new DecisionScenario(tokens);
                selfTokens = [.. tokens.Values];
            }
            else
            {
                var tokens = await AgentTokens.GetAsync(client, benchAgents, CancellationToken.None);
                Console.WriteLine($"Tokens for {tokens.Count} load agents.");
                decisions = new MixedDecisionScenario([.. tokens.Values]);
                selfTokens = [.. tokens.Values];
            }
            Console.WriteLine();

            Scenario[] closed =
            [
                new StaticFileScenario(),
                new AgentSelfScenario(selfTokens),
                decisions,
            ];
            Func<TimeSpan> cpu = () => app.ProcessorTime;
            foreach (var scenario in closed)
            {
                Console.WriteLine($"Closed loop: {scenario.Name}, {settings.Connections} connections, {settings.WarmUp.TotalSeconds} s warm-up + {settings.Duration.TotalSeconds} s ...");
                results.Add(await ClosedLoop.RunAsync(client, scenario, settings.Connections, settings.WarmUp, settings.Duration, CancellationToken.None, cpu));
            }

            Console.WriteLine($"Open loop: {closed[^1].Name} at {settings.OpenLoopRate:N0}/s for {settings.Duration.TotalSeconds} s ...");
            results.Add(await OpenLoop.RunAsync(client, closed[^1], settings.Connections, settings.OpenLoopRate, settings.Duration, settings.Drain, CancellationToken.None, cpu));
            Console.WriteLine($"Load average (1, 5, 15 min) at end: {MachineInfo.LoadAverage()}");
            Console.WriteLine();
        }

        var staticFile = results[0];
        var agentSelf = results[1];
        var decided = results[2];
        var open = results[3];
        Console.WriteLine(ResultTable.Render(results));
        Console.WriteLine("Answers:");
        Console.WriteLine(ResultTable.Mix(results));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Decisions / {agentSelf.Scenario}: {decided.PerSecond / agentSelf.PerSecond:P1}; decisions / {staticFile.Scenario}: {decided.PerSecond / staticFile.PerSecond:P1}"));
        Console.WriteLine();
        Console.WriteLine("Targets (DESIGN section 10), against the authenticated trivial endpoint:");
        Console.WriteLine(ResultTable.Targets(decided, agentSelf, open));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Total run time {total.Elapsed.TotalSeconds:F0} s; the app was stopped and its data folder deleted."));
    }
}
