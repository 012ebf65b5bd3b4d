using Microsoft.EntityFrameworkCore;
using Warden.Domain.Agents;
using Warden.Domain.Autonomy;
using Warden.Features.Guardrails;
using Warden.Persistence;

namespace Warden.Features.Autonomy;

/// <summary>
/// Measures an agent's track record from what is stored: level changes, decisions, critical
/// violations, officers' reviews of its violations and guardrail findings, and the verification of the
/// latest evidence pack covering it (no such pack counts as not verified).
/// </summary>
internal static class TrackRecords
{
    /// <param name="compensable">Whether a tool declares a compensating action; null when that could not be read.</param>
    /// <param name="checkEvidence">
    /// False where the criteria do not ask for a verified pack: verifying hashes and a signature from
    /// disk is the dearest part, and a readiness page measures every agent.
    /// </param>
    public static async Task<TrackRecord> MeasureAsync(
        WardenDbContext db, Agent agent, TimeSpan attestationPeriod, IEvidenceCheck evidence, DateTimeOffset now, CancellationToken ct, bool checkEvidence = true,
        Func<string, bool>? compensable = null)
    {
        var id = agent.Id.Value;
        var levelChanges = await db.AgentChanges.AsNoTracking()
            .Where(c => c.AgentId == id && AutonomyChanges.Kinds.Contains(c.Kind))
            .OrderByDescending(c => c.At)
            .Select(c => (DateTimeOffset?)c.At)
            .FirstOrDefaultAsync(ct);
        var levelSince = levelChanges ?? agent.RegisteredAt;
        var lastCritical = await db.Decisions.AsNoTracking()
            .Where(d => d.AgentId == id && d.ViolationSeverity == ViolationSeverity.Critical)
            .OrderByDescending(d => d.DecidedAt)
            .Select(d => (DateTimeOffset?)d.DecidedAt)
            .FirstOrDefaultAsync(ct);
        // Every decision at the level less the reviews of outputs among them: the first is a count of the
        // (agent, time) index alone, the second of the reviews' own small index. Testing ReviewOf row by
        // row would read every decision a busy agent made at its level from the table.
        var atLevel = db.Decisions.AsNoTracking().Where(d => d.AgentId == id && d.DecidedAt >= levelSince);
        var decisions = await atLevel.CountAsync(ct) - await atLevel.CountAsync(d => d.ReviewOf != null, ct);
        var reviews = await db.GuardrailFindings.AsNoTracking()
            .Where(f => f.AgentId == id && f.Review != FindingReview.Unreviewed)
            .GroupBy(f => f.Review)
            .Select(g => new { Review = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        var violationReviews = await db.ViolationReviews.AsNoTracking()
            .Where(r => r.AgentId == agent.Id)
            .GroupBy(r => r.FalsePositive)
            .Select(g => new { FalsePositive = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        var actionReviews = await db.ActionReviews.AsNoTracking()
            .Where(r => r.AgentId == agent.Id && r.OpenedAt >= levelSince)
            .GroupBy(r => r.State)
            .Select(g => new { State = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        var pack = checkEvidence ? await evidence.LatestAsync(db, agent, ct) : null;
        var writeTools = agent.Tools.Where(t => t.Operations.Any(o => o != OperationKind.Read)).ToList();
        return new TrackRecord(
            agent.AutonomyLevel,
            levelSince,
            lastCritical ?? agent.RegisteredAt,
            decisions,
            reviews.Sum(r => r.Count) + violationReviews.Sum(r => r.Count),
            reviews.Where(r => r.Review == FindingReview.FalsePositive).Sum(r => r.Count) + violationReviews.Where(r => r.FalsePositive).Sum(r => r.Count),
            !agent.IsAttestationOverdue(attestationPeriod, now),
            EvidenceVerified: pack?.Verified ?? false,
            AwaitingReview: actionReviews.Where(r => r.State == ActionReviewState.Pending).Sum(r => r.Count),
            ReviewedActions: actionReviews.Where(r => r.State != ActionReviewState.Pending).Sum(r => r.Count),
            RejectedActions: actionReviews.Where(r => r.State == ActionReviewState.Rejected).Sum(r => r.Count),
            WriteTools: writeTools.Count,
            CompensableWriteTools: compensable is null ? null : writeTools.Count(t => compensable(t.Name)));
    }
}
