using System.Globalization;
using Npgsql;
using Warden.LoadBench;

namespace Warden.ClusterBench;

/// <summary>
/// Two instances on one PostgreSQL database, in one run: the cross-instance kill race (traffic on B,
/// the trip on A), the same race with B's notification connection cut, and decisions/s for one
/// instance on SQLite, one on PostgreSQL and two on PostgreSQL.
/// Usage: dotnet run -c Release --project bench/Warden.ClusterBench [-- --trials 1000 --senders 3 --seed 7
///   --load-senders 16 --load-agents 8 --warmup-seconds 3 --load-seconds 10]
/// </summary>
internal static class Harness
{
    public static async Task<int> Main(string[] args)
    {
        var trials = Option(args, "--trials", 1000);
        var senders = Option(args, "--senders", 3);
        var seed = Option(args, "--seed", 7);
        var loadSenders = Option(args, "--load-senders", 16);
        var loadAgents = Option(args, "--load-agents", 8);
        var warmUp = TimeSpan.FromSeconds(Option(args, "--warmup-seconds", 3));
        var loadDuration = TimeSpan.FromSeconds(Option(args, "--load-seconds", 10));
        var skipLoad = args.Contains("--skip-load");
        // Trials slower than this (ms) are explained sender by sender; 0 explains none.
        var explainAbove = Option(args, "--explain-above", 0);

        Console.WriteLine(MachineInfo.Describe(TimeProvider.System.GetUtcNow()));
        Console.WriteLine($"Processors: {Environment.ProcessorCount}");
        Console.WriteLine($"Load average (1, 5, 15 min) at start: {MachineInfo.LoadAverage()}");

        await using var postgres = await PostgresCluster.StartAsync();
        // Whatever ends the process, the throwaway cluster goes with it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => postgres.Stop();
        Console.CancelKeyPress += (_, _) => postgres.Stop();
        Console.WriteLine($"PostgreSQL {postgres.Version} on port {postgres.Port} (throwaway cluster)");
        var connectionString = postgres.ConnectionString();

        var loads = new List<LoadRow>();
        var races = new List<(RaceResult Result, List<string> Chained, string LoadStart, string LoadEnd)>();
        await using (var a = new AppHost("A", connectionString))
        {
            a.StartServer(); // A first: it applies the migrations and seeds the demo people.
            await using (var b = new AppHost("B", connectionString))
            {
                b.StartServer();
                Console.WriteLine($"Instance A {a.BaseAddress}, instance B {b.BaseAddress}");

                if (!skipLoad)
                {
                    await using (var sqlite = new AppHost("S", connectionString: null))
                    {
                        sqlite.StartServer();
                        loads.Add(await Throughput.RunAsync("SQLite, one instance", sqlite, [sqlite], loadSenders, loadAgents, warmUp, loadDuration));
                    }
                    loads.Add(await Throughput.RunAsync("PostgreSQL, one instance", a, [a], loadSenders, loadAgents, warmUp, loadDuration));
                    loads.Add(await Throughput.RunAsync("PostgreSQL, two instances", a, [a, b], loadSenders, Math.Max(1, loadAgents / 2), warmUp, loadDuration));
                }

                var random = new Random(seed);
                var loadStart = MachineInfo.LoadAverage();
                var followed = await new KillRace(a, b, senders, random, explainAbove, connectionString).RunAsync("B listening", trials);
                races.Add((followed, await KillRace.AllowsChainedAfterTripsAsync(connectionString, followed), loadStart, MachineInfo.LoadAverage()));
            }

            // B again, on a fresh data folder, its connections through a relay that cuts any connection
            // that listens: B's follower never holds a live LISTEN connection during this phase.
            await using var cutter = new ListenCutter(postgres.Port);
            await using (var b = new AppHost("B", postgres.ConnectionString(cutter.Port)))
            {
                b.StartServer();
                await Task.Delay(1000);
                cutter.Cut();
                var terminated = await TerminateFollowerAsync(connectionString, "B");
                Console.WriteLine($"Instance B restarted at {b.BaseAddress} through the relay; LISTEN cut, {terminated} follower backends terminated.");
                var random = new Random(seed + 1);
                var loadStart = MachineInfo.LoadAverage();
                var cut = await new KillRace(a, b, senders, random).RunAsync("B cut", trials);
                races.Add((cut, await KillRace.AllowsChainedAfterTripsAsync(connectionString, cut), loadStart, MachineInfo.LoadAverage()));
                Console.WriteLine($"LISTEN attempts cut during the phase: {cutter.Cuts}");
            }
        }

        Console.WriteLine();
        Report.Races(races);
        if (loads.Count > 0)
            Report.Loads(loads);
        Console.WriteLine($"Load average (1, 5, 15 min) at end: {MachineInfo.LoadAverage()}");

        var failed = races.Any(r => r.Result.AllowedAfterTrip > 0 || r.Chained.Count > 0);
        foreach (var (result, chained, _, _) in races)
        {
            foreach (var problem in chained)
                Console.WriteLine($"!! [{result.Phase}] {problem}");
        }
        Console.WriteLine(failed ? "FAILED: a request was allowed after a trip had returned, or an allow is chained after a trip." : "No allow after any trip.");
        return failed ? 1 : 0;
    }

    private static async Task<int> TerminateFollowerAsync(string connectionString, string instance)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        await using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name", db);
        kill.Parameters.AddWithValue("name", $"warden-follower:{instance}");
        return Convert.ToInt32(await kill.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
