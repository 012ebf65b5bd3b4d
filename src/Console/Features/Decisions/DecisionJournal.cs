using Microsoft.EntityFrameworkCore;
using Warden.Persistence;

namespace Warden.Features.Decisions;

/// <summary>Writes decisions and their later changes durably; the audit chain hooks in here.</summary>
public sealed class DecisionJournal(IDbContextFactory<WardenDbContext> contexts)
{
    public async Task RecordAsync(DecisionRecord record, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        db.Decisions.Add(record);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task RecordOutcomeAsync(WardenDbContext db, DecisionRecord record, CancellationToken cancellationToken)
    {
        db.Entry(record).Property<int>("Version").CurrentValue++;
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<DecisionRecord?> ExpireAsync(WardenDbContext db, string decisionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var record = await db.Decisions.SingleOrDefaultAsync(d => d.Id == decisionId, cancellationToken);
        if (record is null || record.State != DecisionState.Pending)
            return record;
        record.State = DecisionState.Expired;
        db.Entry(record).Property<int>("Version").CurrentValue++;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            await db.Entry(record).ReloadAsync(cancellationToken);
        }
        return record;
    }
}
