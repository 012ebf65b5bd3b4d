using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Warden.Features.Evidence;
using Warden.Features.Evidence.Rendering;
using Warden.Features.Guardrails;
using Warden.Persistence;

namespace Warden.Features.RedTeam;

/// <summary>
/// The pack's red-team section: for each agent in scope, its latest drill completed by the end of the
/// period (score per category), and every miss of those drills with what Warden answered and why.
/// </summary>
public sealed class RedTeamEvidenceSection(IDbContextFactory<WardenDbContext> contexts, Masking masking) : IEvidenceSection
{
    public const string Title = "11. Red-team drills";

    public int Order => 11;

    public async Task WriteAsync(IEvidenceDocument doc, EvidenceSectionScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(doc);
        ArgumentNullException.ThrowIfNull(scope);
        doc.Heading(Title);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = scope.Agents.ToList();
        var runs = await db.Set<RedTeamDrillRun>().AsNoTracking()
            .Where(d => ids.Contains(d.AgentId) && d.CompletedAt <= scope.PeriodEnd)
            .ToListAsync(cancellationToken);
        var latest = runs.GroupBy(r => r.AgentId).Select(g => g.OrderByDescending(r => r.CompletedAt).First())
            .OrderBy(r => r.AgentName, StringComparer.Ordinal).Select(RedTeamDrills.Report).ToList();
        var inPeriod = runs.Count(r => r.CompletedAt >= scope.PeriodStart);
        doc.Paragraph($"{inPeriod} drills ran in the period. Each drill sends Warden's adversarial corpus and the officers' own cases " +
                      "through the dry-run decision path of one agent (no side effects) and scores the answers per category. " +
                      $"The latest drill by the end of the period is shown for {latest.Count} of {ids.Count} agents in scope; agents without one have never been drilled.");
        if (latest.Count == 0)
            return;
        var table = doc.Table([new("Agent", 2.6), new("Level", 0.8), new("Completed", 1.8), new("Corpus / policy", 2.2), new("Score", 1), new("Per category", 4.4)]);
        foreach (var d in latest)
            table.Row($"{masking.Text(d.AgentName)}\n{d.AgentId}", d.AtLevel.ToString(CultureInfo.InvariantCulture), EvidenceText.Time(d.CompletedAt), $"{d.CorpusVersion}\n{d.PolicyVersion}",
                $"{d.Score.ToString("0.#", CultureInfo.InvariantCulture)} %\n{d.Passed}/{d.Total}",
                string.Join("\n", d.Categories.Select(c => $"{c.Category}: {c.Shown}")));
        doc.Heading("Misses of the latest drills", 2);
        var misses = doc.Table([new("Agent", 2), new("Case", 3), new("Safe answer", 1.2), new("Warden answered", 1.3), new("Why", 4.5)]);
        var any = false;
        foreach (var d in latest)
        {
            foreach (var m in d.Misses)
            {
                any = true;
                misses.Row(masking.Text(d.AgentName), $"{m.CaseId}\n{m.Title}", m.Expect, m.Answer, $"{(m.Rule is null ? "no rule matched" : $"rule {m.Rule}")}: {m.Reason}");
            }
        }
        if (!any)
            doc.Paragraph("The latest drills missed no case.");
    }
}
