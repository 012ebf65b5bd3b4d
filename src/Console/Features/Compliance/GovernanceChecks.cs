using Microsoft.EntityFrameworkCore;
using Warden.Domain.Approvals;
using Warden.Domain.Autonomy;
using Warden.Domain.Containment;
using Warden.Features.Autonomy;
using Warden.Features.Policies;
using Warden.Persistence;

namespace Warden.Features.Compliance;

/// <summary>Every publication of the period that widened what agents may do was approved by a second officer.</summary>
internal sealed class PoliciesSecondOfficerCheck(IDbContextFactory<WardenDbContext> contexts) : IComplianceCheck
{
    public string Id => "policies.second_officer";

    public async Task<CheckOutcome> EvaluateAsync(ComplianceScope scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var published = db.PolicyPublications.AsNoTracking().Where(p => p.State == PublicationState.Published && p.PublishedAt < scope.End);
        if (!await published.AnyAsync(cancellationToken))
            return CheckOutcome.NotCovered("No policy publication is recorded up to the end of the period.");
        var widening = await published.Where(p => p.PublishedAt >= scope.Start && p.Widened > 0)
            .Select(p => p.SecondOfficerId).ToListAsync(cancellationToken);
        if (widening.Count == 0)
            return CheckOutcome.Met("No publication in the period widened what agents may do; the policy in force is recorded.");
        var seconded = widening.Count(s => !string.IsNullOrEmpty(s));
        return CheckOutcome.Share(seconded, widening.Count,
            $"{seconded:N0} of {ScopedRecords.Count(widening.Count, "widening publication", "widening publications")} had a second officer.");
    }
}

/// <summary>The period has decisions, and every one names the policy version that made it.</summary>
internal sealed class DecisionsRecordedCheck(IDbContextFactory<WardenDbContext> contexts) : IComplianceCheck
{
    public string Id => "decisions.recorded";

    public async Task<CheckOutcome> EvaluateAsync(ComplianceScope scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var decisions = ScopedRecords.Decisions(db, scope);
        var total = await decisions.CountAsync(cancellationToken);
        if (total == 0)
            return CheckOutcome.NotCovered("No decision was made in the period, so no record of one can be shown.");
        var versioned = await decisions.CountAsync(d => d.PolicyVersion != string.Empty, cancellationToken);
        return CheckOutcome.Share(versioned, total, $"{versioned:N0} of {ScopedRecords.Count(total, "decision", "decisions")} name the policy version that made them.");
    }
}

/// <summary>Every approval decided in the period was voted on only by people other than the agent's owners, with as many approvers as it needed.</summary>
internal sealed class ApprovalsSeparatedCheck(IDbContextFactory<WardenDbContext> contexts) : IComplianceCheck
{
    public string Id => "approvals.separated";

    public async Task<CheckOutcome> EvaluateAsync(ComplianceScope scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var requests = (await db.ApprovalRequests.AsNoTracking()
                .Where(r => r.ResolvedAt >= scope.Start && r.ResolvedAt < scope.End && (r.State == ApprovalState.Approved || r.State == ApprovalState.Denied))
                .ToListAsync(cancellationToken))
            .Where(r => scope.Covers(r.AgentId)).ToList();
        if (requests.Count == 0)
            return CheckOutcome.NotCovered("No approval was decided in the period.");
        var separated = requests.Count(r =>
        {
            var votes = r.Votes.Where(v => v.VoidedAt is null).ToList();
            var byOwner = votes.Exists(v => v.VoterId == r.OwnerId || v.VoterId == r.BackupOwnerId);
            var approvers = votes.Where(v => v.Verdict == Verdict.Approve).Select(v => v.VoterId).Distinct().Count();
            return votes.Count > 0 && !byOwner && (r.State != ApprovalState.Approved || approvers >= r.RequiredApprovals);
        });
        return CheckOutcome.Share(separated, requests.Count,
            $"{separated:N0} of {ScopedRecords.Count(requests.Count, "decided approval", "decided approvals")} were decided by enough officers, none of them the agent's owner.");
    }
}

/// <summary>A trip or drill reaching the scope in the period, with the time to the first refusal measured.</summary>
internal sealed class ContainmentExercisedCheck(IDbContextFactory<WardenDbContext> contexts) : IComplianceCheck
{
    public string Id => "containment.exercised";

    public async Task<CheckOutcome> EvaluateAsync(ComplianceScope scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var agents = await ScopedRecords.AgentsAsync(db, scope, cancellationToken);
        var owners = agents.Select(a => a.OwnerId).ToHashSet(StringComparer.Ordinal);
        var segments = agents.Select(a => a.Segment).ToHashSet(StringComparer.Ordinal);
        var trips = (await db.Containments.AsNoTracking().Where(c => c.TrippedAt >= scope.Start && c.TrippedAt < scope.End)
                .Select(c => new { c.Scope, c.Target, c.Source, c.FirstRefusedAt }).ToListAsync(cancellationToken))
            .Where(c => scope.AgentIds is null || c.Scope switch
            {
                ContainmentScope.Agent => scope.AgentIds.Contains(c.Target),
                ContainmentScope.Owner => owners.Contains(c.Target),
                ContainmentScope.Segment => segments.Contains(c.Target),
                _ => true,
            }).ToList();
        if (trips.Count == 0)
            return CheckOutcome.NotCovered("No kill switch was tripped and no containment drill was run in the period.");
        var timed = trips.Count(t => t.FirstRefusedAt is { } at && at < scope.End);
        var drills = trips.Count(t => t.Source == TripSource.Drill);
        var what = $"{ScopedRecords.Count(trips.Count - drills, "trip", "trips")} and {ScopedRecords.Count(drills, "drill", "drills")} in the period";
        return timed > 0
            ? CheckOutcome.Met($"{what}; {timed:N0} with the time to the first refused request measured.")
            : CheckOutcome.Partly($"{what}, but no request was refused after any of them, so no time to contain is measured.");
    }
}

/// <summary>Every autonomy level change of the period has a reason, and every promotion approved was approved by someone other than who asked.</summary>
internal sealed class AutonomyJustifiedCheck(IDbContextFactory<WardenDbContext> contexts) : IComplianceCheck
{
    public string Id => "autonomy.justified";

    public async Task<CheckOutcome> EvaluateAsync(ComplianceScope scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var changes = (await db.AgentChanges.AsNoTracking()
                .Where(c => c.At >= scope.Start && c.At < scope.End && AutonomyChanges.Kinds.Contains(c.Kind))
                .Select(c => new { c.AgentId, c.Reason }).ToListAsync(cancellationToken))
            .Where(c => scope.Covers(c.AgentId)).ToList();
        var promotions = (await db.PromotionRequests.AsNoTracking()
                .Where(r => r.DecidedAt >= scope.Start && r.DecidedAt < scope.End && r.State == PromotionState.Approved)
                .ToListAsync(cancellationToken))
            .Where(r => scope.Covers(r.AgentId.Value)).ToList();
        var total = changes.Count + promotions.Count;
        if (total == 0)
            return CheckOutcome.Met("No autonomy level changed in the period; every level in force was set before it.");
        var good = changes.Count(c => !string.IsNullOrWhiteSpace(c.Reason)) + promotions.Count(p => p.DecidedBy is { } by && by != p.RequestedBy);
        return CheckOutcome.Share(good, total,
            $"{good:N0} of {total:N0} level changes and approved promotions were justified and decided by someone other than who asked.");
    }
}

/// <summary>Every violation of the period was reviewed by an officer before the period ended.</summary>
internal sealed class ViolationsReviewedCheck(IDbContextFactory<WardenDbContext> contexts) : IComplianceCheck
{
    public string Id => "violations.reviewed";

    public async Task<CheckOutcome> EvaluateAsync(ComplianceScope scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var violations = ScopedRecords.Decisions(db, scope).Where(d => d.IsViolation);
        var total = await violations.CountAsync(cancellationToken);
        if (total == 0)
            return CheckOutcome.Met("No violation in the period, so none waits for review.");
        var reviewed = await violations.CountAsync(d => db.ViolationReviews.Any(r => r.DecisionId == d.Id && r.ReviewedAt < scope.End), cancellationToken);
        return CheckOutcome.Share(reviewed, total, $"{reviewed:N0} of {ScopedRecords.Count(total, "violation", "violations")} were reviewed by an officer.");
    }
}
