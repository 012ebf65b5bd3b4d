using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Warden.Domain.Approvals;
using Warden.Domain.Audit;
using Warden.Domain.Containment;
using Warden.Domain.Decisions;
using Warden.Features.Evidence.Rendering;
using Warden.Persistence;

namespace Warden.Features.Evidence;

/// <summary>
/// The numbered sections of a pack, each read from the database for the pack's scope and period.
/// Long lists are read in keyset batches and written row by row; summaries are grouped in the database.
/// </summary>
internal sealed class EvidenceSections(
    IDbContextFactory<WardenDbContext> contexts,
    EvidencePackSpec spec,
    EvidenceScopeContext scope,
    IEvidenceDocument doc,
    Warden.Features.Guardrails.Masking masking,
    int batchSize)
{
    public static readonly IReadOnlyList<string> Titles =
    [
        "1. Agent directory", "2. Policies in force", "3. Decisions summary", "4. Approvals", "5. Containment",
        "6. Autonomy promotions and demotions", "7. Violations", "8. Metrics", "9. Audit-chain verification",
        "Appendix A. Audit events of the period",
    ];

    private DateTimeOffset Start => spec.PeriodStart;
    private DateTimeOffset End => spec.PeriodEnd;

    public void AgentDirectory(TimeSpan attestationPeriod, out int unattested)
    {
        doc.Heading(Titles[0]);
        unattested = scope.Agents.Count(a => a.LastAttestedAt + attestationPeriod < End && a.RegisteredAt < End);
        doc.Paragraph($"{scope.Agents.Count} agents in scope. An agent counts as unattested in the period when its owner's last attestation " +
                      $"was more than {attestationPeriod.TotalDays:0} days old before the period ended; {unattested} such agents.");
        var table = doc.Table([new("Agent", 3), new("Owner", 3), new("Segment", 1.6), new("Status", 1.1), new("Level", 0.9), new("Last attested", 2), new("Attestation", 1.4)]);
        foreach (var a in scope.Agents)
        {
            var due = a.LastAttestedAt + attestationPeriod;
            table.Row($"{a.Name}\n{a.Id}", a.Owner, a.Segment, a.Status.ToString(), a.Level.ToString(CultureInfo.InvariantCulture),
                EvidenceText.Time(a.LastAttestedAt), due < End ? $"overdue since {EvidenceText.Day(due)}" : $"current (due {EvidenceText.Day(due)})");
        }
    }

    /// <summary>
    /// The version in force at the period's end (its rules), and every publication up to then with who
    /// asked, who approved as second officer and why; <paramref name="current"/> is used only when
    /// the database has no publication (a database older than policy versions).
    /// </summary>
    public async Task PoliciesAsync(Warden.Domain.Policies.Policy current, CancellationToken cancellationToken)
    {
        doc.Heading(Titles[1]);
        await using (var history = contexts.CreateDbContext())
        {
            var publications = await (from p in history.PolicyPublications.AsNoTracking()
                                       join v in history.PolicyVersions.AsNoTracking() on p.VersionId equals v.Id
                                       where p.State == Warden.Features.Policies.PublicationState.Published && p.PublishedAt <= End
                                       orderby p.PublishedAt descending, p.Id descending
                                       select new { p.PublishedAt, p.RequestedByName, p.SecondOfficerName, p.Reason, p.Widened, v.Id, v.Label, v.ContentHash, v.Content })
                .Take(200).ToListAsync(cancellationToken);
            var atEnd = publications.FirstOrDefault();
            var inForce = atEnd is not null && new Warden.Features.Policies.PolicyYamlLoader().Load(atEnd.Content) is { IsSuccess: true } loaded ? loaded.Value : current;
            doc.Facts([
                new("Version in force at the end of the period", atEnd is null ? inForce.Version : $"{atEnd.Label} (version {atEnd.Id})"),
                new("Content hash", atEnd?.ContentHash ?? "not recorded"),
                new("Rules", inForce.Rules.Count.ToString(CultureInfo.InvariantCulture)),
            ]);
            var rules = doc.Table([new("Rule", 2.2), new("Effect", 2.2), new("Description", 5)]);
            foreach (var rule in inForce.Rules)
                rules.Row(rule.Id, Describe(rule.Effect), masking.Text(rule.Match.WhenText is null ? rule.Description : $"{rule.Description} (when {rule.Match.WhenText})"));
            doc.Heading("Publications up to the end of the period", 2);
            var published = doc.Table([new("Version", 2.4), new("Published", 2), new("Asked by", 2), new("Second officer", 2), new("Reason", 4)]);
            foreach (var p in publications.Where(p => p.PublishedAt >= Start || ReferenceEquals(p, atEnd)))
                published.Row($"{p.Label}\nversion {p.Id}", EvidenceText.Time(p.PublishedAt!.Value), masking.Text(p.RequestedByName),
                              p.SecondOfficerName is null ? (p.Widened > 0 ? "missing" : "not needed (widened nothing)") : masking.Text(p.SecondOfficerName),
                              masking.Text(p.Reason));
            if (publications.Count == 0)
                doc.Paragraph("No policy publication is recorded up to the end of this period.");
        }

        await using var db = contexts.CreateDbContext();
        var versions = await scope.Decisions(db, Start, End).GroupBy(d => d.PolicyVersion)
            .Select(g => new { Version = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        doc.Heading("Policy versions that made the period's decisions", 2);
        var used = doc.Table([new("Policy version", 4), new("Decisions", 2)]);
        foreach (var v in versions.OrderByDescending(v => v.Count).ThenBy(v => v.Version, StringComparer.Ordinal))
            used.Row(v.Version, EvidenceText.Number(v.Count));
        if (versions.Count == 0)
            doc.Paragraph("No decisions were made in this period.");
    }

    private static string Describe(Warden.Domain.Policies.PolicyEffect effect) => effect.Kind switch
    {
        Warden.Domain.Policies.PolicyEffectKind.RequireApproval =>
            string.Create(CultureInfo.InvariantCulture, $"require approval: {effect.Approvers} {(effect.Approvers == 1 ? "approver" : "approvers")}, expires after {effect.ExpiryMinutes} min"),
        Warden.Domain.Policies.PolicyEffectKind.Deny => "deny",
        _ => "allow",
    };

    public async Task<(long Total, long Denied)> DecisionsAsync(CancellationToken cancellationToken)
    {
        doc.Heading(Titles[2]);
        await using var db = contexts.CreateDbContext();
        var decisions = scope.Decisions(db, Start, End);
        var byOutcome = await decisions.GroupBy(d => d.Outcome).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var byTool = await decisions.GroupBy(d => d.Tool).Select(g => new { g.Key, Count = g.Count() })
            .OrderByDescending(g => g.Count).ThenBy(g => g.Key).Take(20).ToListAsync(cancellationToken);
        var byAgent = await decisions.GroupBy(d => d.AgentId).Select(g => new { g.Key, Count = g.Count() })
            .OrderByDescending(g => g.Count).ThenBy(g => g.Key).Take(20).ToListAsync(cancellationToken);
        var total = byOutcome.Sum(o => (long)o.Count);
        doc.Facts([new("Decisions in the period", EvidenceText.Number(total))]);
        doc.BarChart("Decisions by outcome", Enum.GetValues<DecisionOutcome>()
            .Select(o => new ChartBar(o.ToString(), byOutcome.FirstOrDefault(b => b.Key == o)?.Count ?? 0)).ToList());
        doc.Heading("By tool (the 20 most used)", 2);
        var tools = doc.Table([new("Tool", 4), new("Decisions", 1.5)]);
        foreach (var t in byTool)
            tools.Row(t.Key, EvidenceText.Number(t.Count));
        doc.Heading("By agent (the 20 busiest)", 2);
        var names = scope.Agents.ToDictionary(a => a.Id, a => a.Name, StringComparer.Ordinal);
        var agents = doc.Table([new("Agent", 4), new("Decisions", 1.5)]);
        foreach (var a in byAgent)
            agents.Row($"{names.GetValueOrDefault(a.Key, a.Key)} ({a.Key})", EvidenceText.Number(a.Count));
        return (total, byOutcome.FirstOrDefault(b => b.Key == DecisionOutcome.Deny)?.Count ?? 0);
    }

    public async Task<List<TimeSpan>> ApprovalsAsync(CancellationToken cancellationToken)
    {
        doc.Heading(Titles[3]);
        var latencies = new List<TimeSpan>();
        var states = new Dictionary<ApprovalState, int>();
        var dual = 0;
        var names = scope.Agents.ToDictionary(a => a.Id, a => a.Name, StringComparer.Ordinal);
        var table = doc.Table([new("Opened", 1.7), new("Agent", 2), new("Risk", 0.9), new("Needs", 0.9), new("Votes", 4), new("State", 1.2), new("Latency", 1)]);
        await using var db = contexts.CreateDbContext();
        var ids = scope.AgentIds?.ToList();
        var after = string.Empty;
        while (true)
        {
#pragma warning disable CA1309 // EF translates string.Compare to the column's own (binary) comparison; CompareOrdinal has no translation.
            var query = db.ApprovalRequests.AsNoTracking().Where(r => r.OpenedAt >= Start && r.OpenedAt < End && string.Compare(r.Id, after) > 0);
#pragma warning restore CA1309
            if (ids is not null)
                query = query.Where(r => ids.Contains(r.AgentId));
            var batch = await query.OrderBy(r => r.Id).Take(batchSize).ToListAsync(cancellationToken);
            foreach (var r in batch)
            {
                // The pack shows each request as it stood when the period ended, so a later vote does not change it.
                var resolvedInPeriod = r.ResolvedAt is { } resolved && resolved < End;
                var state = resolvedInPeriod ? r.State : ApprovalState.Pending;
                var latency = resolvedInPeriod ? r.ResolvedAt - r.OpenedAt : null;
                if (latency is { } l && state is ApprovalState.Approved or ApprovalState.Denied)
                    latencies.Add(l);
                states[state] = states.GetValueOrDefault(state) + 1;
                if (r.RequiredApprovals > 1)
                    dual++;
                var cast = r.Votes.Where(v => v.CastAt < End).ToList();
                var votes = cast.Count == 0 ? "no votes" : string.Join("\n", cast.Select(v =>
                    $"{masking.Text(v.VoterName)}: {v.Verdict.ToString().ToLowerInvariant()} at {EvidenceText.Time(v.CastAt)}" +
                    (string.IsNullOrWhiteSpace(v.Reason) ? string.Empty : $" — {masking.Text(v.Reason)}")));
                table.Row(EvidenceText.Time(r.OpenedAt), $"{names.GetValueOrDefault(r.AgentId, r.AgentId)}", r.RiskTier.ToString(),
                    r.RequiredApprovals.ToString(CultureInfo.InvariantCulture), votes,
                    state switch
                    {
                        ApprovalState.Expired => $"Expired {EvidenceText.Time(r.ExpiresAt)}",
                        ApprovalState.Pending => "Pending at period end",
                        _ => state.ToString(),
                    }, EvidenceText.Duration(latency));
            }
            if (batch.Count < batchSize)
                break;
            after = batch[^1].Id;
        }
        doc.Heading("Summary", 2);
        doc.Facts([
            new("Opened in the period", EvidenceText.Number(states.Values.Sum())),
            new("Outcomes", states.Count == 0 ? "none" : string.Join(", ", states.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value}"))),
            new("Dual control (two or more approvers)", EvidenceText.Number(dual)),
            new("Expired unanswered (failed closed)", EvidenceText.Number(states.GetValueOrDefault(ApprovalState.Expired))),
            new("Median approval latency", EvidenceText.Duration(EvidenceText.Median(latencies))),
        ]);
        return latencies;
    }

    public async Task<List<TimeSpan>> ContainmentAsync(CancellationToken cancellationToken)
    {
        doc.Heading(Titles[4]);
        await using var db = contexts.CreateDbContext();
        var trips = await db.Containments.AsNoTracking().Where(c => c.TrippedAt >= Start && c.TrippedAt < End)
            .OrderBy(c => c.TrippedAt).ToListAsync(cancellationToken);
        var owners = scope.Agents.Select(a => a.OwnerId).ToHashSet(StringComparer.Ordinal);
        var segments = scope.Agents.Select(a => a.Segment).ToHashSet(StringComparer.Ordinal);
        trips = trips.Where(c => scope.AgentIds is null || c.Scope switch
        {
            ContainmentScope.Agent => scope.AgentIds.Contains(c.Target),
            ContainmentScope.Owner => owners.Contains(c.Target),
            ContainmentScope.Segment => segments.Contains(c.Target),
            _ => true,
        }).ToList();
        var toContain = trips.Where(c => c.Source != TripSource.Drill && c.TimeToFirstRefusal is not null && c.FirstRefusedAt < End)
            .Select(c => c.TimeToFirstRefusal!.Value).ToList();
        doc.Facts([
            new("Trips in the period", EvidenceText.Number(trips.Count(c => c.Source != TripSource.Drill))),
            new("Drills", EvidenceText.Number(trips.Count(c => c.Source == TripSource.Drill))),
            new("Median time to contain (trip committed to first refusal)", EvidenceText.Duration(EvidenceText.Median([.. toContain]))),
        ]);
        var table = doc.Table([new("Tripped", 1.7), new("Target", 2.2), new("Source", 1), new("By", 1.6), new("Reason", 2.4), new("Refused in", 1.1), new("Revoked in", 1.1), new("Released", 1.7)]);
        foreach (var c in trips)
        {
            table.Row(EvidenceText.Time(c.TrippedAt), $"{c.Scope}: {masking.Text(c.TargetLabel)}", c.Source.ToString(), masking.Text(c.TrippedByName),
                masking.Text(c.Reason), EvidenceText.Duration(c.TimeToFirstRefusal), EvidenceText.Duration(c.TimeToRevocation),
                c.ReleasedAt is { } released && released < End ? EvidenceText.Time(released) : "still contained at period end");
        }
        if (trips.Count == 0)
            doc.Paragraph("No containment was tripped in this period, and no drill was run.");
        return toContain;
    }

    /// <summary>Every level change of the period (who, from, to, why) and every promotion request decided in it, with its criteria.</summary>
    public async Task AutonomyAsync(CancellationToken cancellationToken)
    {
        doc.Heading(Titles[5]);
        var names = scope.Agents.ToDictionary(a => a.Id, a => a.Name, StringComparer.Ordinal);
        await using var db = contexts.CreateDbContext();
        var changes = await db.AgentChanges.AsNoTracking()
            .Where(c => c.At >= Start && c.At < End && Warden.Features.Autonomy.AutonomyChanges.Kinds.Contains(c.Kind))
            .OrderBy(c => c.At).ThenBy(c => c.Id).Take(5_000)
            .Select(c => new { c.At, c.AgentId, c.Kind, c.ActorName, c.Reason, c.Before, c.After }).ToListAsync(cancellationToken);
        var inScope = changes.Where(c => names.ContainsKey(c.AgentId)).ToList();
        doc.Heading("Level changes", 2);
        var table = doc.Table([new("When", 1.7), new("Agent", 2), new("Change", 1.4), new("By", 1.6), new("Reason", 4)]);
        foreach (var c in inScope)
            table.Row(EvidenceText.Time(c.At), names[c.AgentId],
                      $"{(c.Kind == Warden.Features.Autonomy.AutonomyChanges.Promoted ? "promoted" : "demoted")} {Level(c.Before)} → {Level(c.After)}",
                      masking.Text(c.ActorName.Length == 0 ? "Warden" : c.ActorName), masking.Text(c.Reason ?? string.Empty));
        if (inScope.Count == 0)
            doc.Paragraph("No agent's autonomy level changed in this period.");

        var requests = (await db.PromotionRequests.AsNoTracking().Where(r => r.DecidedAt >= Start && r.DecidedAt < End).Take(2_000).ToListAsync(cancellationToken))
            .Where(r => names.ContainsKey(r.AgentId.Value)).OrderBy(r => r.DecidedAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
        doc.Heading("Promotion requests decided", 2);
        var decided = doc.Table([new("Decided", 1.7), new("Agent", 2), new("Levels", 0.9), new("Criteria", 3.2), new("Decision", 3.2)]);
        foreach (var r in requests)
        {
            var criteria = string.Join("\n", r.Criteria.Select(c => $"{(c.Passed ? "pass" : "FAIL")}: {c.Name} ({c.Measured}; needs {c.Threshold})"));
            decided.Row(EvidenceText.Time(r.DecidedAt!.Value), names[r.AgentId.Value], $"{r.FromLevel} → {r.ToLevel}",
                        masking.Text(r.CriteriaMet ? criteria : $"{criteria}\njustified: {r.Justification}"),
                        masking.Text($"{r.State.ToString().ToLowerInvariant()} by {r.DecidedByName ?? "Warden"}: {r.DecisionReason}\nasked by {r.RequestedByName}"));
        }
        if (requests.Count == 0)
            doc.Paragraph("No promotion request was decided in this period.");
    }

    private static string Level(string? snapshot)
    {
        if (snapshot is null)
            return "?";
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(snapshot)?["autonomyLevel"]?.GetValue<int>().ToString(CultureInfo.InvariantCulture) ?? "?";
        }
        catch (System.Text.Json.JsonException)
        {
            return "?";
        }
    }

    public async Task<long> ViolationsAsync(CancellationToken cancellationToken)
    {
        doc.Heading(Titles[6]);
        doc.Paragraph("Each violation with the officers' review as it stood at the end of the period: a false positive is marked with who said so and why.");
        var names = scope.Agents.ToDictionary(a => a.Id, a => a.Name, StringComparer.Ordinal);
        var table = doc.Table([new("Decided", 1.7), new("Agent", 2), new("Tool", 1.6), new("Outcome", 0.9), new("Reasons", 3.4), new("Review", 2)]);
        await using var db = contexts.CreateDbContext();
        long count = 0;
        var after = string.Empty;
        while (true)
        {
#pragma warning disable CA1309 // as above: a keyset on the id column
            var batch = await scope.Decisions(db, Start, End).Where(d => d.IsViolation && string.Compare(d.Id, after) > 0)
#pragma warning restore CA1309
                .OrderBy(d => d.Id).Take(batchSize)
                .Select(d => new { d.Id, d.DecidedAt, d.AgentId, d.Tool, d.Outcome, d.Reasons }).ToListAsync(cancellationToken);
            var ids = batch.Select(d => d.Id).ToList();
            var reviews = await db.ViolationReviews.AsNoTracking().Where(r => ids.Contains(r.DecisionId) && r.ReviewedAt < End)
                .ToDictionaryAsync(r => r.DecisionId, r => r.FalsePositive ? $"false positive ({r.ReviewedByName}: {r.Note})" : $"confirmed by {r.ReviewedByName}",
                                   StringComparer.Ordinal, cancellationToken);
            foreach (var d in batch)
                table.Row(EvidenceText.Time(d.DecidedAt), names.GetValueOrDefault(d.AgentId, d.AgentId), d.Tool, d.Outcome.ToString(), masking.Text(Reasons(d.Reasons)),
                          masking.Text(reviews.GetValueOrDefault(d.Id, "not reviewed")));
            count += batch.Count;
            if (batch.Count < batchSize)
                break;
            after = batch[^1].Id;
        }
        if (count == 0)
            doc.Paragraph("No violations in this period.");
        return count;
    }

    /// <summary>The stored reasons (a JSON array of code and message) as lines an auditor reads.</summary>
    private static string Reasons(string json)
    {
        try
        {
            using var reasons = System.Text.Json.JsonDocument.Parse(json);
            if (reasons.RootElement.ValueKind != System.Text.Json.JsonValueKind.Array)
                return json;
            return string.Join("\n", reasons.RootElement.EnumerateArray().Select(r =>
                r.ValueKind == System.Text.Json.JsonValueKind.Object
                    ? $"{(r.TryGetProperty("code", out var code) ? code.GetString() : null)}: {(r.TryGetProperty("message", out var message) ? message.GetString() : null)}"
                    : r.ToString()));
        }
        catch (System.Text.Json.JsonException)
        {
            return json;
        }
    }

    public async Task MetricsAsync(long decisions, long denied, long violations, List<TimeSpan> latencies, List<TimeSpan> toContain, CancellationToken cancellationToken)
    {
        doc.Heading(Titles[7]);
        await using var db = contexts.CreateDbContext();
        var outside = await Warden.Features.Metrics.GovernanceHistoryReader.OutsideAllowlist(
            scope.Decisions(db, Start, End).Where(d => d.ReviewOf == null)).LongCountAsync(cancellationToken);
        var calls = await scope.Decisions(db, Start, End).Where(d => d.ReviewOf == null).LongCountAsync(cancellationToken);
        var alerts = db.AnomalyAlerts.AsNoTracking().Where(a => a.DetectedAt >= Start && a.DetectedAt < End);
        if (scope.AgentIds is { } agentIds)
        {
            var list = agentIds.ToList();
            alerts = alerts.Where(a => list.Contains(a.AgentId));
        }
        var anomalies = await alerts.LongCountAsync(cancellationToken);
        var caught = await alerts.LongCountAsync(a => a.BeforeExecution, cancellationToken);
        doc.Paragraph("Computed from the period's records: every tool call the agents asked about, the behaviour alerts raised " +
                      "against each agent's own baseline, approvals and containment trips.");
        doc.Facts([
            new("Decisions", EvidenceText.Number(decisions)),
            new("Tool calls within allowlists", calls == 0 ? "—" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * (calls - outside) / calls:0.0} % ({calls - outside:N0} of {calls:N0})")),
            new("Behaviour anomalies", EvidenceText.Number(anomalies)),
            new("Caught before execution", anomalies == 0 ? "—" : string.Create(CultureInfo.InvariantCulture, $"{caught:N0} of {anomalies:N0}")),
            new("Share denied", decisions == 0 ? "—" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * denied / decisions:0.0} %")),
            new("Violations", EvidenceText.Number(violations)),
            new("Median approval latency", EvidenceText.Duration(EvidenceText.Median(latencies))),
            new("Median time to contain", EvidenceText.Duration(EvidenceText.Median(toContain))),
        ]);
        var days = new List<ChartBar>();
        var violationDays = new List<ChartBar>();
        var step = (End - Start).TotalDays > 62 ? TimeSpan.FromDays(7) : TimeSpan.FromDays(1);
        for (var from = Start; from < End; from += step)
        {
            var to = from + step < End ? from + step : End;
            var counts = await scope.Decisions(db, from, to).GroupBy(d => d.IsViolation)
                .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
            var label = step.TotalDays >= 7 ? $"week of {EvidenceText.Day(from)}" : EvidenceText.Day(from);
            days.Add(new ChartBar(label, counts.Sum(c => c.Count)));
            violationDays.Add(new ChartBar(label, counts.FirstOrDefault(c => c.Key)?.Count ?? 0));
        }
        doc.BarChart(step.TotalDays >= 7 ? "Decisions per week" : "Decisions per day", days);
        doc.BarChart(step.TotalDays >= 7 ? "Violations per week" : "Violations per day", violationDays);
    }

    public void ChainVerification(AuditVerification verification, long first, long last)
    {
        doc.Heading(Titles[8]);
        doc.Paragraph(verification.IsIntact
            ? "The audit chain verifies from its first event to the end of this period: no event was edited, removed, inserted or re-hashed."
            : "The audit chain does NOT verify. The records in this pack cannot be relied upon until the break below is explained.", emphasis: true);
        doc.Facts([
            new("Result", verification.IsIntact ? "verified" : $"broken: {verification.Fault}"),
            new("Detail", verification.Reason),
            new("Events checked", EvidenceText.Number(verification.EventsChecked)),
            new("Signed checkpoints checked", EvidenceText.Number(verification.CheckpointsChecked)),
            new("Period's chain range", last == 0 ? "no events in the period" : $"sequences {first} to {last}"),
            new("Hash at the end of the period", verification.HeadHash),
            new("First bad sequence", verification.FirstBadSequence?.ToString(CultureInfo.InvariantCulture) ?? "none"),
        ]);
    }
}
