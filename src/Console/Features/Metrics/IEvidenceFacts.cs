using Warden.Domain.Metrics;
using Warden.Persistence;

namespace Warden.Features.Metrics;

/// <summary>The evidence packs completed in a time range, as the governance metrics count them. The evidence feature provides it.</summary>
public interface IEvidenceFacts
{
    Task<IReadOnlyList<EvidenceFact>> CompletedAsync(WardenDbContext db, DateTimeOffset from, DateTimeOffset end, CancellationToken ct);
}
