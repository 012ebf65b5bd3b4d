using System.Diagnostics;
using Npgsql;
using Warden.Domain;
using Warden.Domain.Containment;
using Warden.Features.Containment;

namespace Warden.ClusterBench;

/// <summary>
/// The cross-instance kill race: senders on instance B keep asking for allowed decisions with tokens
/// B minted before the trip, and an officer trips the agent on instance A. A request that started
/// after the trip returned (the trip is committed before it returns) must not be allowed.
/// </summary>
internal sealed class KillRace(AppHost tripper, AppHost target, int senders, Random random)
{
    private static readonly TimeSpan FirstAllowTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RefusalTimeout = TimeSpan.FromSeconds(3);

    public async Task<RaceResult> RunAsync(string phase, int trials)
    {
        Console.WriteLine($"[{phase}] registering {trials} agents through {tripper.Name} ...");
        var setup = Stopwatch.StartNew();
        var agents = new List<(string Id, string Secret)>(trials);
        for (var i = 0; i < trials; i++)
            agents.Add(await Agents.RegisterAsync(tripper, $"Race {phase} {i:D5}"));
        Console.WriteLine($"[{phase}] registered in {setup.Elapsed.TotalSeconds:F1} s; racing ...");

        using var client = Agents.Client(target.BaseAddress);
        var result = new RaceResult(phase, trials, senders);
        var run = Stopwatch.StartNew();
        for (var trial = 0; trial < trials; trial++)
        {
            var (id, secret) = agents[trial];
            var token = await Agents.TokenAsync(client, id, secret);
            await RunTrialAsync(result, trial, client, id, token);
            if ((trial + 1) % 100 == 0)
                Console.WriteLine($"[{phase}] {trial + 1}/{trials} trials, {run.Elapsed.TotalSeconds:F0} s, allowed after trip so far: {result.AllowedAfterTrip}");
        }
        result.Elapsed = run.Elapsed;
        result.AgentByContainment = result.Trials.ToDictionary(t => t.ContainmentId, t => t.AgentId, StringComparer.Ordinal);
        return result;
    }

    private async Task RunTrialAsync(RaceResult result, int trial, HttpClient client, string agentId, string token)
    {
        using var stop = new CancellationTokenSource();
        var firstAllow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstRefusal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long tripStarted = long.MaxValue;
        var loops = Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            var sent = new List<Sent>();
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                var answer = await Agents.DecideAsync(client, token);
                var ended = Stopwatch.GetTimestamp();
                sent.Add(new Sent(started, ended, answer));
                if (answer.Kind == AnswerKind.Allowed)
                    firstAllow.TrySetResult();
                else if (answer.IsRefusal && ended > Volatile.Read(ref tripStarted))
                    firstRefusal.TrySetResult();
            }
            return sent;
        })).ToList();

        // Trip only once B is allowing the agent: otherwise there is nothing to race.
        var allowedBeforeTrip = await Task.WhenAny(firstAllow.Task, Task.Delay(FirstAllowTimeout)) == firstAllow.Task;
        await Task.Delay(random.Next(2, 15));
        Volatile.Write(ref tripStarted, Stopwatch.GetTimestamp());
        var trip = await tripper.AsUserAsync<ContainmentService, Result<TripResult>>(Agents.Officer,
            s => s.TripAsync(ContainmentScope.Agent, agentId, "cluster kill race"));
        var returned = Stopwatch.GetTimestamp();
        if (trip.IsFailure)
            throw new InvalidOperationException($"Trial {trial}: the trip failed: {trip.Error.Message}");
        await Task.WhenAny(firstRefusal.Task, Task.Delay(RefusalTimeout));
        await Task.Delay(random.Next(10, 30));
        await stop.CancelAsync();
        var sent = (await Task.WhenAll(loops)).SelectMany(s => s).OrderBy(s => s.Started).ToList();

        var late = sent.Where(s => s.Started > returned).ToList();
        var lateAllowed = late.Where(s => s.Answer.Kind == AnswerKind.Allowed).ToList();
        var refusals = sent.Where(s => s.Answer.IsRefusal && s.Ended > tripStarted).ToList();
        var first = refusals.Count == 0 ? (Sent?)null : refusals.MinBy(s => s.Ended);
        var record = new TrialRecord(trial, agentId, trip.Value.ContainmentId, allowedBeforeTrip,
            Ms(tripStarted, returned),
            first is { } f ? Math.Max(0, Ms(returned, f.Ended)) : null,
            first is { } g ? g.Answer.Label : null,
            first is { } h && h.Ended < returned,
            lateAllowed.Count == 0 ? null : lateAllowed.Select(s => Ms(returned, s.Started)).Min());
        result.Add(record, sent.Count, late.Count, lateAllowed.Count, sent.Where(s => s.Started > returned || s.Ended > tripStarted).Select(s => s.Answer.Label));
        foreach (var allowed in lateAllowed)
        {
            Console.WriteLine($"!! trial {trial} agent {agentId} containment {trip.Value.ContainmentId}: allowed a request that started {Ms(returned, allowed.Started):F3} ms after the trip returned and ended {Ms(returned, allowed.Ended):F3} ms after it");
        }
    }

    private static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    /// <summary>
    /// In the database: for each tripped agent, the newest <c>decision.allowed</c> event against its
    /// <c>containment.tripped</c> event. Any allow chained after the trip is listed.
    /// </summary>
    public static async Task<List<string>> AllowsChainedAfterTripsAsync(string connectionString, RaceResult result)
    {
        var problems = new List<string>();
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        var trips = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var read = new NpgsqlCommand("""SELECT "Subject", "Sequence" FROM "AuditEvents" WHERE "Kind" = 'containment.tripped' AND "Subject" = ANY(@ids)""", db))
        {
            read.Parameters.AddWithValue("ids", result.AgentByContainment.Keys.ToArray());
            await using var rows = await read.ExecuteReaderAsync();
            while (await rows.ReadAsync())
                trips[result.AgentByContainment[rows.GetString(0)]] = rows.GetInt64(1);
        }
        if (trips.Count != result.Trials.Count)
            problems.Add($"{result.Trials.Count - trips.Count} trips have no containment.tripped event");
        await using (var read = new NpgsqlCommand("""
            SELECT "ActorId", "Sequence" FROM "AuditEvents"
            WHERE "Kind" = 'decision.allowed' AND "ActorId" = ANY(@ids)
            """, db))
        {
            read.Parameters.AddWithValue("ids", trips.Keys.ToArray());
            await using var rows = await read.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                var agent = rows.GetString(0);
                var sequence = rows.GetInt64(1);
                if (sequence > trips[agent])
                    problems.Add($"agent {agent}: decision.allowed at sequence {sequence} after containment.tripped at {trips[agent]}");
            }
        }
        return problems;
    }
}

internal readonly record struct Sent(long Started, long Ended, Answer Answer);

/// <param name="TripMs">How long the trip call on A took (access check, transaction, commit, registry).</param>
/// <param name="FirstRefusalMs">Trip returned → the first refusal B answered (client side, ended), 0 if before the return.</param>
/// <param name="FirstAllowedAfterMs">When a request that started after the trip returned was allowed: how long after.</param>
internal sealed record TrialRecord(
    int Trial, string AgentId, string ContainmentId, bool AllowedBeforeTrip, double TripMs,
    double? FirstRefusalMs, string? FirstRefusal, bool RefusedBeforeReturn, double? FirstAllowedAfterMs);

internal sealed class RaceResult(string phase, int trials, int senders)
{
    public string Phase { get; } = phase;

    public int TrialCount { get; } = trials;

    public int Senders { get; } = senders;

    public List<TrialRecord> Trials { get; } = [];

    public Dictionary<string, string> AgentByContainment { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> AnswersAroundTrip { get; } = new(StringComparer.Ordinal);

    public TimeSpan Elapsed { get; set; }

    public long Requests { get; private set; }

    public long AfterTrip { get; private set; }

    public long AllowedAfterTrip { get; private set; }

    public void Add(TrialRecord record, long requests, long afterTrip, long allowedAfterTrip, IEnumerable<string> answersAroundTrip)
    {
        Trials.Add(record);
        Requests += requests;
        AfterTrip += afterTrip;
        AllowedAfterTrip += allowedAfterTrip;
        foreach (var label in answersAroundTrip)
            AnswersAroundTrip[label] = AnswersAroundTrip.GetValueOrDefault(label) + 1;
    }
}
