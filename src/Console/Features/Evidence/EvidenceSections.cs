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
/// The numbered sections of a pack as an auditor reads them, from what <see cref="EvidenceSectionQueries"/>
/// reads for the pack's scope and period; long lists are written row by row as their batches arrive.
/// </summary>
internal sealed class EvidenceSections(
    IDbContextFactory<WardenDbContext> contexts,
    EvidencePackSpec spec,
    EvidenceScopeContext scope,
    IEvidenceDocument doc,
    Warden.Features.Guardrails.Masking masking,
    int batchSize)
{
    private readonly EvidenceSectionQueries _queries = new(contexts, spec, scope, batchSize);

    public static readonly IReadOnlyList<string> Titles =
    [
        "1. Agent directory", "2. Policies in force", "3. Decisions summary", "4. Approvals", "5. Containment",
        "6. Autonomy promotions and demotions", "7. Violations", "8. Metrics", "9. Audit-chain verification",
        "10. Incidents and tabletop exercises", "11. Red-team drills", "12. Compliance coverage", "Appendix A. Audit events of the period",
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
        var publications = await _queries.PublicationsAsync(cancellationToken);
        var atEnd = publications.FirstOrDefault();
        var inForce = atEnd is not null && new Warden.Features.Policies.PolicyYamlLoader().Load(atEnd.Content) is { IsSuccess: true } loaded ? loaded.Value : current;
        doc.Facts([
            new("Version in force at the end of the period", atEnd is null ? inForce.Version : $"{atEnd.Label} (version {atEnd.Id})"),
            new("Content hash", atEnd?.ContentHash ?? "not recorded"),
            new("Rules", inForce.Rules.Count.ToString(CultureInfo.InvariantCulture)),
        ]);
        var rules = doc.Table([new("Rule", 2.2), new("Effect", 2.2), new("Description", 5)]);
        foreach (var rule in inForce.Rules)
            rules.Row(rule.Id, EvidenceText.Effect(rule.Effect), masking.Text(rule.Match.WhenText is null ? rule.Description : $"{rule.Description} (when {rule.Match.WhenText})"));
        doc.Heading("Publications up to the end of the period", 2);
        var published = doc.Table([new("Version", 2.4), new("Published", 2), new("Asked by", 2), new("Second officer", 2), new("Reason", 4)]);
        foreach (var p in publications.Where(p => p.PublishedAt >= Start || ReferenceEquals(p, atEnd)))
            published.Row($"{p.Label}\nversion {p.Id}", EvidenceText.Time(p.PublishedAt!.Value), masking.Text(p.RequestedByName),
                          p.SecondOfficerName is null ? (p.Widened > 0 ? "missing" : "not needed (widened nothing)") : masking.Text(p.SecondOfficerName),
                          masking.Text(p.Reason));
        if (publications.Count == 0)
            doc.Paragraph("No policy publication is recorded up to the end of this period.");

        var versions = await _queries.DecisionsByPolicyVersionAsync(cancellationToken);
        doc.Heading("Policy versions that made the period's decisions", 2);
        var used = doc.Table([new("Policy version", 4), new("Decisions", 2)]);
        foreach (var v in versions.OrderByDescending(v => v.Count).ThenBy(v => v.Key, StringComparer.Ordinal))
            used.Row(v.Key, EvidenceText.Number(v.Count));
        if (versions.Count == 0)
            doc.Paragraph("No decisions were made in this period.");
    }

    public async Task<(long Total, long Denied)> DecisionsAsync(CancellationToken cancellationToken)
    {
        doc.Heading(Titles[2]);
        var (byOutcome, byTool, byAgent) = await _queries.DecisionTalliesAsync(cancellationToken);
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
        await foreach (var r in _queries.ApprovalsAsync(cancellationToken))
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
        var trips = await _queries.ContainmentsAsync(cancellationToken);
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
        var inScope = await _queries.LevelChangesAsync(cancellationToken);
        doc.Heading("Level changes", 2);
        var table = doc.Table([new("When", 1.7), new("Agent", 2), new("Change", 1.4), new("By", 1.6), new("Reason", 4)]);
        foreach (var c in inScope)
            table.Row(EvidenceText.Time(c.At), names[c.AgentId],
                      $"{(c.Kind == Warden.Features.Autonomy.AutonomyChanges.Promoted ? "promoted" : "demoted")} {EvidenceText.Level(c.Before)} → {EvidenceText.Level(c.After)}",
                      masking.Text(c.ActorName.Length == 0 ? "Warden" : c.ActorName), masking.Text(c.Reason ?? string.Empty));
        if (inScope.Count == 0)
            doc.Paragraph("No agent's autonomy level changed in this period.");

        var requests = await _queries.PromotionsDecidedAsync(cancellationToken);
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

    public async Task<long> ViolationsAsync(CancellationToken cancellationToken)
    {
        doc.Heading(Titles[6]);
        doc.Paragraph("Each violation with the officers' review as it stood at the end of the period: a false positive is marked with who said so and why.");
        var names = scope.Agents.ToDictionary(a => a.Id, a => a.Name, StringComparer.Ordinal);
        var table = doc.Table([new("Decided", 1.7), new("Agent", 2), new("Tool", 1.6), new("Outcome", 0.9), new("Reasons", 3.4), new("Review", 2)]);
        long count = 0;
        await foreach (var d in _queries.ViolationsAsync(cancellationToken))
        {
            // A decision's reasons are stored masked (the decision recorder and the approval commits mask
            // them); the review's names and note are not, so only they are masked here.
            table.Row(EvidenceText.Time(d.DecidedAt), names.GetValueOrDefault(d.AgentId, d.AgentId), d.Tool, d.Outcome.ToString(), EvidenceText.Reasons(d.Reasons),
                      masking.Text(d.Review is not { } r ? "not reviewed" : r.FalsePositive ? $"false positive ({r.ReviewedByName}: {r.Note})" : $"confirmed by {r.ReviewedByName}"));
            count++;
        }
        if (count == 0)
            doc.Paragraph("No violations in this period.");
        return count;
    }

    public async Task MetricsAsync(long decisions, long denied, long violations, List<TimeSpan> latencies, List<TimeSpan> toContain, CancellationToken cancellationToken)
    {
        doc.Heading(Titles[7]);
        var (calls, outside, anomalies, caught) = await _queries.ActivityAsync(cancellationToken);
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
        var step = (End - Start).TotalDays > 62 ? TimeSpan.FromDays(7) : TimeSpan.FromDays(1);
        var steps = await _queries.DecisionsPerStepAsync(step, cancellationToken);
        string Label(StepCount s) => step.TotalDays >= 7 ? $"week of {EvidenceText.Day(s.From)}" : EvidenceText.Day(s.From);
        var days = steps.ConvertAll(s => new ChartBar(Label(s), s.Decisions));
        var violationDays = steps.ConvertAll(s => new ChartBar(Label(s), s.Violations));
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

    /// <summary>Where the appendix is: one line per volume with the events it lists and its SHA-256, so a reader knows it is whole.</summary>
    public void AppendixVolumes(long eventsInScope, EvidenceManifestArtifact export, IReadOnlyList<EvidenceManifestArtifact> volumes)
    {
        doc.Heading(Titles[^1]);
        if (volumes.Count == 0)
        {
            doc.Paragraph("No audit events in this period and scope.");
            return;
        }
        doc.Paragraph($"Every audit event of the period within the pack's scope ({EvidenceText.Number(eventsInScope)} events) is listed, in sequence " +
                      $"order and with personal data masked, in {volumes.Count} appendix volume{(volumes.Count == 1 ? string.Empty : "s")} beside this PDF. " +
                      "Together they list every event in scope; the signed manifest.json vouches for each by its SHA-256. The same events, " +
                      $"with their hashes, are in the export {EvidenceFiles.Export} (SHA-256 {export.Sha256}).");
        var table = doc.Table([new("Volume", 2.6), new("Sequences", 1.8), new("Events", 0.9), new("SHA-256", 4.4, Mono: true)]);
        foreach (var volume in volumes)
        {
            var v = volume.Appendix!;
            table.Row(volume.Name, $"{v.FirstSequence} to {v.LastSequence}", EvidenceText.Number(v.Events), volume.Sha256);
        }
    }
}
