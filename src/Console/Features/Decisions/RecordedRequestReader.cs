using Microsoft.EntityFrameworkCore;
using Warden.Domain.Decisions;
using Warden.Features.Policies;
using Warden.Persistence;

namespace Warden.Features.Decisions;

/// <summary>The recorded requests a policy replay decides again, read from the decision records and their guardrail findings.</summary>
public sealed class RecordedRequestReader(IDbContextFactory<WardenDbContext> contexts) : IRecordedRequests
{
    public async Task<int> CountAsync(DateTimeOffset from, DateTimeOffset to, int max, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await Requests(db, from, to).Take(max).CountAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<RecordedRequest>> GetPageAsync(
        DateTimeOffset from, DateTimeOffset to, RecordedRequest? previous, int take, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var query = Requests(db, from, to).AsNoTracking();
        if (previous is not null)
        {
            // Keyset paging, newest first: (DecidedAt, Id) below the last row of the previous page.
            var (at, id) = (previous.DecidedAt, previous.DecisionId);
#pragma warning disable CA1309 // Translated to SQL's own comparison of the id column; an ordinal overload does not translate.
            query = query.Where(d => d.DecidedAt < at || (d.DecidedAt == at && string.Compare(d.Id, id) < 0));
#pragma warning restore CA1309
        }
        var page = await query.OrderByDescending(d => d.DecidedAt).ThenByDescending(d => d.Id)
            .Take(take)
            .Select(d => new { d.Id, d.AgentId, d.DecidedAt, d.Tool, d.Operation, d.Resource, d.Records, d.Amount, d.Currency, d.ImpactDeclared })
            .ToListAsync(cancellationToken);
        if (page.Count == 0)
            return [];
        var ids = page.Select(d => d.Id).ToList();
        var findings = (await db.GuardrailFindings.AsNoTracking().Where(f => ids.Contains(f.DecisionId))
                .Select(f => new { f.DecisionId, f.Kind, f.Location, f.Confidence }).ToListAsync(cancellationToken))
            .ToLookup(f => f.DecisionId, f => new GuardrailFinding(f.Kind, FindingSeverity.High, f.Location, f.Confidence), StringComparer.Ordinal);
        return page.Select(d => new RecordedRequest(d.Id, d.AgentId, d.DecidedAt, d.Tool, d.Operation, d.Resource, d.Records, d.Amount, d.Currency,
                                                     d.ImpactDeclared, findings[d.Id].ToList()))
            .ToList();
    }

    private static IQueryable<DecisionRecord> Requests(WardenDbContext db, DateTimeOffset from, DateTimeOffset to) =>
        db.Decisions.Where(d => d.ReviewOf == null && d.DecidedAt >= from && d.DecidedAt < to);
}
