using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Approvals;
using Warden.Persistence;

namespace Warden.Features.Decisions;

/// <summary>A decision's current state for its agent; a pending one is long-polled and expires, failing closed, when its time is up.</summary>
public sealed class DecisionStatus(
    IDbContextFactory<WardenDbContext> contexts, DecisionAnswers answers, DecisionWaiters waiters, IApprovalExpiry approvals, DecisionJournal journal, TimeProvider clock)
{
    public async Task<Result<DecisionResponse>> GetAsync(string agentId, string decisionId, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + wait;
        while (true)
        {
            await using var db = contexts.CreateDbContext();
            var record = await db.Decisions.AsNoTracking()
                .SingleOrDefaultAsync(d => d.Id == decisionId && d.AgentId == agentId, cancellationToken);
            if (record is null)
                return DecisionErrors.NotFound(decisionId);
            if (record.State != DecisionState.Pending || clock.GetUtcNow() >= deadline)
                return answers.For(await ExpireIfDueAsync(db, record, cancellationToken));
            // Woken by the vote that resolves it; the timeout re-reads in case it was resolved elsewhere.
            var left = deadline - clock.GetUtcNow();
            await waiters.WaitAsync(record.Id, left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), clock, cancellationToken);
        }
    }

    private async Task<DecisionRecord> ExpireIfDueAsync(WardenDbContext db, DecisionRecord record, CancellationToken cancellationToken)
    {
        if (record.State != DecisionState.Pending || record.ExpiresAt > clock.GetUtcNow())
            return record;
        if (await approvals.ExpireAsync(ApprovalRequest.IdFor(record.Id), cancellationToken))
            return await db.Decisions.AsNoTracking().SingleAsync(d => d.Id == record.Id, cancellationToken);
        // A decision without a request (or one another caller just expired): expire the decision alone if still pending.
        var expired = await journal.ExpireAsync(db, record.Id, clock.GetUtcNow(), cancellationToken);
        return expired ?? record;
    }
}
