using Warden.Domain.Containment;
using Warden.Persistence;

namespace Warden.Features.Containment;

/// <summary>
/// Voids, inside a trip's own transaction, the grants its agents were given and have not used (the
/// decisions feature holds them); returns the voided decisions' ids for the trip's audit event.
/// </summary>
public interface IUnusedGrants
{
    Task<IReadOnlyList<string>> VoidAsync(
        WardenDbContext db, ContainmentScope scope, IReadOnlyCollection<string> agentIds, DateTimeOffset now, CancellationToken cancellationToken);
}
