using Microsoft.EntityFrameworkCore;
using Warden.Features.Guardrails;
using Warden.Persistence;

namespace Warden.Features.Compliance;

/// <summary>Every guardrail finding of the period was marked true or false positive by an officer before the period ended.</summary>
internal sealed class GuardrailsScreenedCheck(IDbContextFactory<WardenDbContext> contexts) : IComplianceCheck
{
    public string Id => "guardrails.screened";

    public async Task<CheckOutcome> EvaluateAsync(ComplianceScope scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var findings = (await db.GuardrailFindings.AsNoTracking().Where(f => f.FoundAt >= scope.Start && f.FoundAt < scope.End)
                .Select(f => new { f.AgentId, f.Review, f.ReviewedAt }).ToListAsync(cancellationToken))
            .Where(f => scope.Covers(f.AgentId)).ToList();
        var screened = await ScopedRecords.Decisions(db, scope).CountAsync(cancellationToken);
        if (findings.Count == 0)
            return screened == 0
                ? CheckOutcome.NotCovered("No tool call was screened in the period.")
                : CheckOutcome.Met($"{ScopedRecords.Count(screened, "tool call was", "tool calls were")} screened; none raised a finding.");
        var reviewed = findings.Count(f => f.Review != FindingReview.Unreviewed && f.ReviewedAt < scope.End);
        return CheckOutcome.Share(reviewed, findings.Count,
            $"{reviewed:N0} of {ScopedRecords.Count(findings.Count, "guardrail finding", "guardrail findings")} were reviewed by an officer.");
    }
}

/// <summary>Every agent in scope that acted in the period has a behaviour baseline.</summary>
internal sealed class BehaviourBaselinedCheck(IDbContextFactory<WardenDbContext> contexts) : IComplianceCheck
{
    public string Id => "behaviour.baselined";

    public async Task<CheckOutcome> EvaluateAsync(ComplianceScope scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var acting = await ScopedRecords.Decisions(db, scope).Select(d => d.AgentId).Distinct().ToListAsync(cancellationToken);
        if (acting.Count == 0)
            return CheckOutcome.NotCovered("No agent in scope acted in the period, so no behaviour was measured.");
        var baselined = await db.AgentBaselines.AsNoTracking().Where(b => acting.Contains(b.AgentId) && b.Observations > 0).CountAsync(cancellationToken);
        return CheckOutcome.Share(baselined, acting.Count,
            $"{baselined:N0} of {ScopedRecords.Count(acting.Count, "agent that acted has", "agents that acted have")} a behaviour baseline.");
    }
}

/// <summary>The audit chain verified from its start to the end of the period, as the caller established.</summary>
internal sealed class AuditChainVerifiedCheck : IComplianceCheck
{
    public string Id => "audit.chain_verified";

    public Task<CheckOutcome> EvaluateAsync(ComplianceScope scope, CancellationToken cancellationToken) =>
        Task.FromResult(scope.ChainVerified switch
        {
            true => CheckOutcome.Met("The audit chain and its signed seals verify from the first event to the end of the period."),
            false => CheckOutcome.NotCovered("The audit chain does NOT verify; the records cannot be relied upon until the break is explained."),
            null => CheckOutcome.NotCovered("The audit chain was not verified for this view; an evidence pack verifies it."),
        });
}
