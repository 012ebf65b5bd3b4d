using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Warden.Features.Approvals;
using Warden.Features.Autonomy;
using Warden.Features.Decisions;
using Warden.Features.Rollback;

namespace Warden.EvidenceBench;

/// <summary>
/// The agent page over a month of seeded decisions: for a busy agent, an ordinary one and a quiet one,
/// every section of the page that reads the agent's decisions, each through the app's own service as
/// the demo auditor: the activity section (its latest decisions, their output reviews, today's counts),
/// the recent actions (what ran in the last week), the autonomy section (the track record since the
/// level) and the agent's approval requests. Prints p50 and p95 per case.
/// dotnet run -c Release --project bench/Warden.EvidenceBench -- --agent-page 1000000 [--runs 10] [--only "busy"]
/// </summary>
internal static class AgentPageBench
{
    private const int Days = 30;
    private const int AgentCount = 1000;
    private const int QuietDecisions = 12;

    public static async Task RunAsync(int decisions, int runs, string? only = null)
    {
        await using var host = new BenchHost();
        _ = host.Services;
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var start = now.AddDays(-Days);
        var seedWatch = Stopwatch.StartNew();
        var agents = await GridSeeder.AgentsAsync(host.Services, AgentCount, start.AddDays(-60));
        GridSeeder.Write(host.DataDirectory, Shape(decisions, agents, start, now));
        Console.WriteLine($"Seeded {decisions:N0} decisions for {AgentCount:N0} agents over {Days} days in {seedWatch.Elapsed.TotalSeconds:0.0} s.");
        Console.WriteLine($"Load average (1, 5, 15 min) at start: {MachineDescription.LoadAverage()}");

        await using var scope = host.Services.CreateAsyncScope();
        await GridTiming.SignInAsync(scope.ServiceProvider, "auditor@warden.example");
        var activity = scope.ServiceProvider.GetRequiredService<AgentActivityService>();
        var rollbacks = scope.ServiceProvider.GetRequiredService<RollbackService>();
        var autonomy = scope.ServiceProvider.GetRequiredService<AutonomyService>();
        var approvals = scope.ServiceProvider.GetRequiredService<ApprovalService>();
        var subjects = new[]
        {
            ("busy agent (33 %)", agents[0]),
            ("one of 998 agents (0.07 %)", agents[5]),
            ($"quiet agent ({QuietDecisions} decisions, none today)", agents[1]),
        };
        var sections = new (string Name, string Page, Func<string, Task<int>> Read)[]
        {
            ("activity: latest decisions, output reviews, today's counts", "25 latest", async id => Check(await activity.GetActivityAsync(id)).RecentDecisions.Count),
            ("recent actions (ran in the last 7 days)", "50 latest", async id => Check(await rollbacks.GetRecentActionsAsync(id)).Actions.Count),
            ("autonomy: track record since the level", "criteria", async id => Check(await autonomy.GetAgentAutonomyAsync(id)).Readiness.Criteria.Count),
            ("approval requests", "50 latest", async id => Check(await approvals.GetForAgentAsync(id)).Count),
        };

        GridTiming.Header();
        var worst = 0.0;
        foreach (var (who, id) in subjects)
        {
            foreach (var (name, page, read) in sections)
            {
                var label = $"{who}: {name}";
                if (only is not null && !label.Contains(only, StringComparison.OrdinalIgnoreCase))
                    continue;
                var (rows, timings) = await GridTiming.TimeAsync(() => read(id), runs);
                worst = Math.Max(worst, GridTiming.Row(label, page, rows, timings));
            }
        }
        GridTiming.Footer(worst);
    }

    private static T Check<T>(Warden.Domain.Result<T> result) =>
        result.IsSuccess ? result.Value : throw new InvalidOperationException(result.Error.ToString());

    /// <summary>
    /// Evenly over the month up to now: a third from one busy agent, the rest from 998 agents, and a
    /// quiet agent's twelve between two weeks and two days ago. Of every fifty, one is the review of
    /// the agent's previous action's output; the others are 80 % allowed (three in four reported as
    /// succeeded, one in twenty as failed), 14 % denied (half of those violations), 6 % held (the
    /// request approved, denied or expired, those of the last four hours still waiting).
    /// </summary>
    private static IEnumerable<SeedDecision> Shape(int count, List<string> agents, DateTimeOffset start, DateTimeOffset end)
    {
        var random = new Random(20_261_207);
        var step = (end - start).Ticks / Math.Max(1, count);
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var at = start.AddTicks(step * i);
            var agent = i % 3 == 0 ? agents[0] : agents[2 + random.Next(agents.Count - 2)];
            var id = string.Create(CultureInfo.InvariantCulture, $"dec_bench{i:D10}");
            if (i % 50 == 49 && previous.TryGetValue(agent, out var reviewed))
            {
                var withheld = random.NextDouble() < 0.1;
                yield return new SeedDecision(id, agent, at, withheld ? "Deny" : "Allow", withheld ? "Denied" : "Allowed", null, reviewed, false, null);
                continue;
            }
            previous[agent] = id;
            yield return Decision(random, id, agent, at, end);
        }
        for (var i = 0; i < QuietDecisions; i++)
        {
            var at = end.AddDays(-14 + i);
            yield return Decision(random, string.Create(CultureInfo.InvariantCulture, $"dec_quiet{i:D9}"), agents[1], at, end);
        }
    }

    private static SeedDecision Decision(Random random, string id, string agent, DateTimeOffset at, DateTimeOffset end)
    {
        var roll = random.NextDouble();
        if (roll < 0.80)
        {
            var report = random.NextDouble();
            var status = report < 0.75 ? "succeeded" : report < 0.80 ? "failed" : null;
            return new SeedDecision(id, agent, at, "Allow", status is null ? "Allowed" : "Completed", status, null, false, null);
        }
        if (roll < 0.94)
            return new SeedDecision(id, agent, at, "Deny", "Denied", null, null, random.NextDouble() < 0.5, null);
        var expires = at.AddHours(4);
        var outcome = random.NextDouble();
        var (state, decisionState) = expires > end ? ("Pending", "Pending") : outcome < 0.7 ? ("Approved", "Approved") : outcome < 0.9 ? ("Denied", "Rejected") : ("Expired", "Expired");
        List<SeedVote> votes = state switch
        {
            "Approved" => [new("usr_bench_officer_01", "Officer 01", "Approve", at.AddMinutes(3))],
            "Denied" => [new("usr_bench_officer_02", "Officer 02", "Deny", at.AddMinutes(3))],
            _ => [],
        };
        return new SeedDecision(id, agent, at, "Pending", decisionState, null, null, false, new SeedApproval(state, "High", expires, votes));
    }
}
