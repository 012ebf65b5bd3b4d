using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain.Approvals;
using Warden.Features.Approvals;

namespace Warden.EvidenceBench;

/// <summary>
/// The approvals page's history over a seeded year of requests: every filter the history offers,
/// alone and combined, read through the app's own <see cref="ApprovalService"/> as the demo auditor,
/// with the officer list the filter bar reads on every reload, and the queue and load tabs the page
/// reads with it (the load only once its tab is opened). Prints p50 and p95 per case.
/// dotnet run -c Release --project bench/Warden.EvidenceBench -- --approvals-grid 1000000 [--runs 10] [--only "officer"]
/// </summary>
internal static class ApprovalsGridBench
{
    private const int Days = 365;
    private const int AgentCount = 1000;
    private static readonly TimeSpan Deadline = TimeSpan.FromHours(4);

    /// <summary>Twelve officers; the busiest casts 30 % of the votes, the quietest 0.1 % (a second vote is another officer, drawn alike).</summary>
    private static readonly double[] OfficerShares = [0.30, 0.20, 0.15, 0.10, 0.08, 0.06, 0.04, 0.03, 0.02, 0.015, 0.004, 0.001];

    /// <summary>The busiest, a middle and the quietest officer: those the officer filter is read for.</summary>
    private static readonly int[] CaseOfficers = [0, 5, 11];

    private static string Officer(int index) => string.Create(CultureInfo.InvariantCulture, $"usr_bench_officer_{index + 1:D2}");

    public static async Task RunAsync(int requests, int runs, string? only = null)
    {
        await using var host = new BenchHost();
        _ = host.Services;
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var start = now.AddDays(-Days);
        var seedWatch = Stopwatch.StartNew();
        var agents = await GridSeeder.AgentsAsync(host.Services, AgentCount, start.AddDays(-30));
        GridSeeder.Write(host.DataDirectory, Shape(requests, agents, start, now));
        Console.WriteLine($"Seeded {requests:N0} approval requests (and their decisions) for {AgentCount:N0} agents over {Days} days in {seedWatch.Elapsed.TotalSeconds:0.0} s.");
        Console.WriteLine($"Votes cast: {string.Join(", ", CaseOfficers.Select(o => $"{Officer(o)} {VotesOf(host.DataDirectory, Officer(o)):N0}"))}.");
        Console.WriteLine($"Load average (1, 5, 15 min) at start: {MachineDescription.LoadAverage()}");

        await using var scope = host.Services.CreateAsyncScope();
        await GridTiming.SignInAsync(scope.ServiceProvider, "auditor@warden.example");
        var approvals = scope.ServiceProvider.GetRequiredService<ApprovalService>();
        var day = new DateTimeOffset(now.UtcDateTime.Date.AddDays(-100), TimeSpan.Zero);
        var cases = new List<(string Name, ApprovalHistoryFilter Filter)>
        {
            ("no filter", new()),
            ("outcome: approved (68 %)", new(State: ApprovalState.Approved)),
            ("outcome: denied (17 %)", new(State: ApprovalState.Denied)),
            ("outcome: expired (10 %)", new(State: ApprovalState.Expired)),
            ("outcome: cancelled (5 %)", new(State: ApprovalState.Cancelled)),
            ("agent: busy agent (25 %)", new(AgentId: agents[0])),
            ("agent: one of 999 agents (0.08 %)", new(AgentId: agents[5])),
            ("officer: busiest (30 %)", new(OfficerId: Officer(0))),
            ("officer: middle (6 %)", new(OfficerId: Officer(5))),
            ("officer: quietest (0.1 %)", new(OfficerId: Officer(11))),
            ("one day (0.3 %)", new(From: day, To: day.AddDays(1))),
            ("seven days (2 %)", new(From: day, To: day.AddDays(7))),
            ("the whole year", new(From: start.AddDays(-1), To: now.AddDays(1))),
            ("from 100 days ago on, no end (27 %)", new(From: day)),
            ("busy agent + cancelled", new(State: ApprovalState.Cancelled, AgentId: agents[0])),
            ("quietest officer + denied", new(State: ApprovalState.Denied, OfficerId: Officer(11))),
            ("busiest officer + seven days", new(OfficerId: Officer(0), From: day, To: day.AddDays(7))),
            ("denied + seven days", new(State: ApprovalState.Denied, From: day, To: day.AddDays(7))),
        };

        // The request a tenth of the way through the year: the page before it is older than 90 % of the history.
        var tenth = requests / 10;
        var deep = new ApprovalHistoryCursor(start.AddTicks((now - start).Ticks / requests * tenth), string.Create(CultureInfo.InvariantCulture, $"apr_bench{tenth:D10}"));
        GridTiming.Header();
        var worst = 0.0;
        foreach (var (name, filter) in cases.Where(c => only is null || c.Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var (page, paged) in new[] { ("newest", filter), ("older than 90 %", filter with { Before = deep }), ("newer than 10 %", filter with { After = deep }) })
            {
                var (rows, timings) = await GridTiming.TimeAsync(async () => await HistoryAsync(approvals, paged), runs);
                worst = Math.Max(worst, GridTiming.Row("history: " + name, page, rows, timings));
            }
        }
        if (only is null)
        {
            var (voters, voterTimings) = await GridTiming.TimeAsync(async () => Check(await approvals.GetVotersAsync()).Count, runs);
            GridTiming.Row("officer list (read with every history reload)", "all", voters, voterTimings);
            var (queue, queueTimings) = await GridTiming.TimeAsync(async () => Check(await approvals.GetQueueViewAsync()).Cards.Count, runs);
            GridTiming.Row("queue tab (waiting requests)", "all", queue, queueTimings);
            var (load, loadTimings) = await GridTiming.TimeAsync(async () => Check(await approvals.GetLoadAsync()).Officers.Count, runs);
            GridTiming.Row("load tab (read when its tab is opened)", "officers", load, loadTimings);
        }
        GridTiming.Footer(worst);
    }

    private static long VotesOf(string dataDirectory, string officer)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dataDirectory, "warden.db")};Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM ApprovalVotes WHERE VoterId = $voter";
        count.Parameters.AddWithValue("$voter", officer);
        return (long)count.ExecuteScalar()!;
    }

    private static async Task<int> HistoryAsync(ApprovalService approvals, ApprovalHistoryFilter filter) =>
        Check(await approvals.GetHistoryAsync(filter)).Cards.Count;

    private static T Check<T>(Warden.Domain.Result<T> result) =>
        result.IsSuccess ? result.Value : throw new InvalidOperationException(result.Error.ToString());

    /// <summary>
    /// One request every ~30 s for a year: a quarter from one busy agent, the rest from 999 agents;
    /// 68 % approved, 17 % denied, 10 % expired, 5 % cancelled, those opened in the last four hours
    /// still waiting; 15 % critical (two approvers). Approvals carry their votes, a denial one deny
    /// (after an approve on a critical request), half the expired critical ones a lone approve.
    /// </summary>
    private static IEnumerable<SeedDecision> Shape(int count, List<string> agents, DateTimeOffset start, DateTimeOffset end)
    {
        var random = new Random(20_261_207);
        var step = (end - start).Ticks / Math.Max(1, count);
        for (var i = 0; i < count; i++)
        {
            var opened = start.AddTicks(step * i);
            var expires = opened + Deadline;
            var agent = i % 4 == 0 ? agents[0] : agents[1 + random.Next(agents.Count - 1)];
            var critical = random.NextDouble() < 0.15;
            var roll = random.NextDouble();
            var state = expires > end ? "Pending" : roll < 0.68 ? "Approved" : roll < 0.85 ? "Denied" : roll < 0.95 ? "Expired" : "Cancelled";
            var first = PickOfficer(random);
            var second = PickOfficer(random);
            while (second == first)
                second = PickOfficer(random);
            var cast = opened.AddMinutes(1 + random.Next(120));
            List<SeedVote> votes = (state, critical) switch
            {
                ("Approved", false) => [Vote(first, "Approve", cast)],
                ("Approved", true) => [Vote(first, "Approve", cast), Vote(second, "Approve", cast.AddMinutes(5))],
                ("Denied", false) => [Vote(first, "Deny", cast)],
                ("Denied", true) => [Vote(second, "Approve", cast), Vote(first, "Deny", cast.AddMinutes(5))],
                ("Expired" or "Pending", true) when random.NextDouble() < 0.5 && cast < end => [Vote(first, "Approve", cast)],
                _ => [],
            };
            var decisionState = state switch { "Approved" => "Approved", "Denied" => "Rejected", "Expired" => "Expired", "Cancelled" => "Cancelled", _ => "Pending" };
            yield return new SeedDecision(string.Create(CultureInfo.InvariantCulture, $"dec_bench{i:D10}"), agent, opened, "Pending", decisionState,
                null, null, false, new SeedApproval(state, critical ? "Critical" : "High", expires, votes));
        }
    }

    private static SeedVote Vote(int officer, string verdict, DateTimeOffset at) =>
        new(Officer(officer), string.Create(CultureInfo.InvariantCulture, $"Officer {officer + 1:D2}"), verdict, at);

    private static int PickOfficer(Random random)
    {
        var roll = random.NextDouble();
        for (var i = 0; i < OfficerShares.Length; i++)
        {
            if ((roll -= OfficerShares[i]) < 0)
                return i;
        }
        return 0;
    }
}
