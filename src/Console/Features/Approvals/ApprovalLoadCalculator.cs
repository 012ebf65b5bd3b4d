using Warden.Domain.Metrics;
using Warden.Domain.Approvals;

namespace Warden.Features.Approvals;

/// <summary>Turns a window of requests into the load figures; pure, so its rules are tested directly.</summary>
public static class ApprovalLoadCalculator
{
    public static ApprovalLoad Compute(
        IReadOnlyCollection<ApprovalRequest> requests, IReadOnlyDictionary<string, string> agentNames, int queueDepth, int escalated, ApprovalOptions settings)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(agentNames);
        ArgumentNullException.ThrowIfNull(settings);
        var decided = requests
            .Where(r => r.State is ApprovalState.Approved or ApprovalState.Denied && r.ResolvedAt is not null)
            .Select(r => r.ResolvedAt!.Value - r.OpenedAt)
            .Order()
            .ToList();

        var stampBound = TimeSpan.FromSeconds(settings.RubberStampSeconds);
        var votes = requests.SelectMany(r => r.Votes.Select(v => (Request: r, Vote: v))).ToList();
        var stamps = votes
            .Where(x => x.Vote.Verdict == Verdict.Approve && x.Vote.CastAt - x.Request.OpenedAt < stampBound)
            .Select(x => new RubberStampFlag(x.Vote.VoterName, x.Request.Id, agentNames.GetValueOrDefault(x.Request.AgentId, x.Request.AgentId),
                                             Math.Round((x.Vote.CastAt - x.Request.OpenedAt).TotalSeconds, 1), x.Vote.CastAt))
            .OrderByDescending(f => f.CastAt)
            .ToList();

        var bursts = new List<BurstFlag>();
        var officers = new List<OfficerLoad>();
        foreach (var officer in votes.GroupBy(x => x.Vote.VoterId.Value))
        {
            var name = officer.First().Vote.VoterName;
            var approvals = officer.Where(x => x.Vote.Verdict == Verdict.Approve).Select(x => x.Vote.CastAt).Order().ToList();
            var busiest = BusiestHour(approvals, out var busiestStart);
            if (busiest > settings.MaxApprovalsPerHour)
                bursts.Add(new BurstFlag(name, busiestStart, busiest));
            officers.Add(new OfficerLoad(
                officer.Key,
                name,
                approvals.Count,
                officer.Count(x => x.Vote.Verdict == Verdict.Deny),
                stamps.Count(s => s.OfficerName == name),
                busiest));
        }

        return new ApprovalLoad(
            queueDepth,
            escalated,
            decided.Count,
            NearestRank.Percentile(decided, 0.50),
            NearestRank.Percentile(decided, 0.95),
            officers.OrderByDescending(o => o.Approvals + o.Denials).ToList(),
            stamps,
            bursts,
            settings.LoadWindowDays,
            settings.RubberStampSeconds,
            settings.MaxApprovalsPerHour);
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
