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
internal sealed class KillRace(AppHost tripper, AppHost target, int senders, Random random, double explainAboveMs = 0, string? listenTo = null)
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
        await using var notices = listenTo is null ? null : await NoticeClock.StartAsync(listenTo);
        var result = new RaceResult(phase, trials, senders);
        var run = Stopwatch.StartNew();
        for (var trial = 0; trial < trials; trial++)
        {
            var (id, secret) = agents[trial];
            var token = await Agents.TokenAsync(client, id, secret);
            await RunTrialAsync(result, trial, client, id, token, notices);
            if ((trial + 1) % 100 == 0)
                Console.WriteLine($"[{phase}] {trial + 1}/{trials} trials, {run.Elapsed.TotalSeconds:F0} s, allowed after trip so far: {result.AllowedAfterTrip}");
        }
        result.Elapsed = run.Elapsed;
        result.AgentByContainment = result.Trials.ToDictionary(t => t.ContainmentId, t => t.AgentId, StringComparer.Ordinal);
        return result;
    }

    private async Task RunTrialAsync(RaceResult result, int trial, HttpClient client, string agentId, string token, NoticeClock? notices)
    {
        using var stop = new CancellationTokenSource();
        var firstAllow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstRefusal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long tripStarted = long.MaxValue;
        // Both instances and the senders share this process's collector: the pauses inside the trial's
        // window (trip started → first refusal) are told apart from the app's own time.
        var pausedAtTrip = TimeSpan.Zero;
        long pausedAtRefusal = -1;
        var loops = Enumerable.Range(0, senders).Select(sender => Task.Run(async () =>
        {
            var sent = new List<Sent>();
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                var answer = await Agents.DecideAsync(client, token);
                var ended = Stopwatch.GetTimestamp();
                sent.Add(new Sent(sender, started, ended, answer));
                if (answer.Kind == AnswerKind.Allowed)
                    firstAllow.TrySetResult();
                else if (answer.IsRefusal && ended > Volatile.Read(ref tripStarted))
                {
                    Interlocked.CompareExchange(ref pausedAtRefusal, GC.GetTotalPauseDuration().Ticks, -1);
                    firstRefusal.TrySetResult();
                }
            }
            return sent;
        })).ToList();

        // Trip only once B is allowing the agent: otherwise there is nothing to race.
        var allowedBeforeTrip = await Task.WhenAny(firstAllow.Task, Task.Delay(FirstAllowTimeout)) == firstAllow.Task;
        await Task.Delay(random.Next(2, 15));
        pausedAtTrip = GC.GetTotalPauseDuration();
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
            lateAllowed.Count == 0 ? null : lateAllowed.Select(s => Ms(returned, s.Started)).Min(),
            Interlocked.Read(ref pausedAtRefusal) is var paused and >= 0 ? (TimeSpan.FromTicks(paused) - pausedAtTrip).TotalMilliseconds : null);
        result.Add(record, sent.Count, late.Count, lateAllowed.Count, sent.Where(s => s.Started > returned || s.Ended > tripStarted).Select(s => s.Answer.Label));
        if (explainAboveMs > 0 && record.FirstRefusalMs > explainAboveMs)
            Explain(trial, record, sent, tripStarted, returned, notices?.HeardAt(agentId));
        foreach (var allowed in lateAllowed)
        {
            Console.WriteLine($"!! trial {trial} agent {agentId} containment {trip.Value.ContainmentId}: allowed a request that started {Ms(returned, allowed.Started):F3} ms after the trip returned and ended {Ms(returned, allowed.Ended):F3} ms after it");
        }
    }

    /// <summary>A slow trial, sender by sender: the request in flight when the trip returned and the one after it.</summary>
    private void Explain(int trial, TrialRecord record, List<Sent> sent, long tripStarted, long returned, long? heard)
    {
        var lines = new List<string>
        {
            $"slow trial {trial}: first refusal {record.FirstRefusalMs:F1} ms after the trip returned; trip took {record.TripMs:F1} ms; "
            + $"notice heard {(heard is { } h ? $"{Ms(returned, h):F1} ms" : "never")} after it; collector paused {record.GcPauseMs:F1} ms",
        };
        for (var sender = 0; sender < senders; sender++)
        {
            var own = sent.Where(s => s.Sender == sender).ToList();
            var inFlight = own.FirstOrDefault(s => s.Started <= returned && s.Ended > returned);
            var next = own.FirstOrDefault(s => s.Started > returned);
            lines.Add($"  sender {sender}: in flight {Describe(inFlight, returned)}; next {Describe(next, returned)}");
        }
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }

    private static string Describe(Sent s, long origin) =>
        s.Ended == 0 ? "none" : $"[{Ms(origin, s.Started):F1} → {Ms(origin, s.Ended):F1} ms] {s.Answer.Label}";

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

internal readonly record struct Sent(int Sender, long Started, long Ended, Answer Answer);

/// <summary>When this process heard each containment notice on the state channel (a listener of its own, as B's follower listens).</summary>
internal sealed class NoticeClock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _heard = new(StringComparer.Ordinal);
    private Task _loop = Task.CompletedTask;

    private NoticeClock(NpgsqlConnection connection) => _connection = connection;

    public static async Task<NoticeClock> StartAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var clock = new NoticeClock(connection);
        connection.Notification += (_, e) =>
        {
            var at = Stopwatch.GetTimestamp();
            if (!Warden.Infrastructure.Cluster.StateChanges.TryParse(e.Payload, out long _, out var changes))
                return;
            foreach (var agent in changes.ContainedAgents)
                clock._heard.TryAdd(agent, at);
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {Warden.Infrastructure.Cluster.StateFollower.Channel}", connection))
            await listen.ExecuteNonQueryAsync();
        clock._loop = Task.Run(async () =>
        {
            try
            {
                while (!clock._stop.IsCancellationRequested)
                    await connection.WaitAsync(clock._stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        });
        return clock;
    }

    public long? HeardAt(string agentId) => _heard.TryGetValue(agentId, out var at) ? at : null;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await _connection.DisposeAsync();
        _stop.Dispose();
    }
}

/// <param name="TripMs">How long the trip call on A took (access check, transaction, commit, registry).</param>
/// <param name="FirstRefusalMs">Trip returned → the first refusal B answered (client side, ended), 0 if before the return.</param>
/// <param name="FirstAllowedAfterMs">When a request that started after the trip returned was allowed: how long after.</param>
/// <param name="GcPauseMs">How long this process's garbage collector paused every thread between the trip's start and B's first refusal.</param>
internal sealed record TrialRecord(
    int Trial, string AgentId, string ContainmentId, bool AllowedBeforeTrip, double TripMs,
    double? FirstRefusalMs, string? FirstRefusal, bool RefusedBeforeReturn, double? FirstAllowedAfterMs, double? GcPauseMs);

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
