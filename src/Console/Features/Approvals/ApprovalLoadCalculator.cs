using Warden.Domain.Metrics;
using Warden.Domain.Approvals;

namespace Warden.Features.Approvals;

/// <summary>Turns a window of requests into the load figures; pure, so its rules are tested directly.</summary>
public static class ApprovalLoadCalculator
{
    /// <summary>The figures of whole requests, their votes read in the order the requests are given.</summary>
    public static ApprovalLoad Compute(
        IReadOnlyCollection<ApprovalRequest> requests, IReadOnlyDictionary<string, string> agentNames, int queueDepth, int escalated, ApprovalOptions settings)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var decided = requests
            .Where(r => r.State is ApprovalState.Approved or ApprovalState.Denied && r.ResolvedAt is not null)
            .Select(r => r.ResolvedAt!.Value - r.OpenedAt)
            .ToList();
        var votes = requests
            .SelectMany(r => r.Votes.Select(v => new LoadVote(r.Id, r.AgentId, r.OpenedAt, v.VoterId.Value, v.VoterName, v.Verdict, v.CastAt)))
            .ToList();
        return Compute(decided, votes, agentNames, queueDepth, escalated, settings);
    }

    /// <summary>
    /// The figures of the window's votes (every vote of every request opened in it, voided ones too),
    /// in the order of their requests and, within one, as cast; <paramref name="decided"/> is how long
    /// each approved or denied request took, in any order.
    /// </summary>
    public static ApprovalLoad Compute(
        IReadOnlyList<TimeSpan> decided, IReadOnlyList<LoadVote> votes, IReadOnlyDictionary<string, string> agentNames, int queueDepth, int escalated,
        ApprovalOptions settings)
    {
        ArgumentNullException.ThrowIfNull(decided);
        ArgumentNullException.ThrowIfNull(votes);
        ArgumentNullException.ThrowIfNull(agentNames);
        ArgumentNullException.ThrowIfNull(settings);
        var durations = decided.Order().ToList();

        var stamps = votes
            .Where(v => IsRubberStamp(v, settings))
            .Select(v => new RubberStampFlag(v.VoterName, v.RequestId, agentNames.GetValueOrDefault(v.AgentId, v.AgentId),
                                             Math.Round((v.CastAt - v.OpenedAt).TotalSeconds, 1), v.CastAt))
            .OrderByDescending(f => f.CastAt)
            .ToList();

        var bursts = new List<BurstFlag>();
        var officers = new List<OfficerLoad>();
        foreach (var officer in votes.GroupBy(v => v.VoterId))
        {
            var name = officer.First().VoterName;
            var approvals = officer.Where(v => v.Verdict == Verdict.Approve).Select(v => v.CastAt).Order().ToList();
            var busiest = BusiestHour(approvals, out var busiestStart);
            if (busiest > settings.MaxApprovalsPerHour)
                bursts.Add(new BurstFlag(name, busiestStart, busiest));
            officers.Add(new OfficerLoad(
                officer.Key,
                name,
                approvals.Count,
                officer.Count(v => v.Verdict == Verdict.Deny),
                stamps.Count(s => s.OfficerName == name),
                busiest));
        }

        return new ApprovalLoad(
            queueDepth,
            escalated,
            durations.Count,
            NearestRank.Percentile(durations, 0.50),
            NearestRank.Percentile(durations, 0.95),
            officers.OrderByDescending(o => o.Approvals + o.Denials).ToList(),
            stamps,
            bursts,
            settings.LoadWindowDays,
            settings.RubberStampSeconds,
            settings.MaxApprovalsPerHour);
    }

    /// <summary>An approval cast sooner after its request opened than <see cref="ApprovalOptions.RubberStampSeconds"/>.</summary>
    public static bool IsRubberStamp(LoadVote vote, ApprovalOptions settings)
    {
        ArgumentNullException.ThrowIfNull(vote);
        ArgumentNullException.ThrowIfNull(settings);
        return vote.Verdict == Verdict.Approve && vote.CastAt - vote.OpenedAt < TimeSpan.FromSeconds(settings.RubberStampSeconds);
    }

    // The most approvals within any sliding hour (a window starting at one of the approvals).
    private static int BusiestHour(List<DateTimeOffset> sorted, out DateTimeOffset start)
    {
        start = default;
        var best = 0;
        var first = 0;
        for (var last = 0; last < sorted.Count; last++)
        {
            while (sorted[last] - sorted[first] >= TimeSpan.FromHours(1))
                first++;
            if (last - first + 1 > best)
            {
                best = last - first + 1;
                start = sorted[first];
            }
        }
        return best;
    }
}

/// <summary>One vote as the load figures read it: its request's id, agent and opening, and who voted which way when.</summary>
public sealed record LoadVote(
    string RequestId, string AgentId, DateTimeOffset OpenedAt, string VoterId, string VoterName, Verdict Verdict, DateTimeOffset CastAt);
