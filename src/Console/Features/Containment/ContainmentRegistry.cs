using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Warden.Domain.Containment;
using Warden.Infrastructure.Cluster;
using Warden.Persistence;
using Trip = Warden.Domain.Containment.Containment;

namespace Warden.Features.Containment;

/// <summary>
/// The instance's in-memory containment state: the active set the decision path checks in O(1), and
/// which agent each trip stopped (so a refused token can be credited to its trip for time-to-contain).
/// Loaded before the app serves its first request; a trip swaps it in before its audit event is
/// chained (and back out if the trip fails to commit), a release after committing.
/// </summary>
public sealed class ContainmentRegistry(IDbContextFactory<WardenDbContext> contexts) : IStateView
{
    private readonly Lock _write = new();
    private readonly ConcurrentDictionary<string, string> _containedBy = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RefusalTally> _refusals = new(StringComparer.Ordinal);
    private volatile ContainmentSet _current = ContainmentSet.Empty;

    public ContainmentSet Current => _current;

    /// <summary>
    /// Whether a decision made against <paramref name="decidedUnder"/> may still be recorded as it is:
    /// true unless a containment it did not see now covers the agent. Checked inside the audit
    /// writer's turn, so no allow is recorded after a trip that covers its agent.
    /// </summary>
    public bool StillHolds(ContainmentSet decidedUnder, string agentId, string ownerId, string segment)
    {
        var current = _current;
        return ReferenceEquals(current, decidedUnder) || current.Covering(agentId, ownerId, segment) is null;
    }

    /// <summary>Raised after every trip and release on this instance (the banner and panels follow it).</summary>
    public event Action? Changed;

    public bool Loaded { get; private set; }

    /// <summary>Reads the active containments before the first request.</summary>
    public Task LoadAsync(WardenDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return ReadAsync(db, cancellationToken);
    }

    /// <summary>Reads the active containments again after another instance tripped or released one.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await ReadAsync(db, cancellationToken);
    }

    public IReadOnlyCollection<Type> Follows { get; } = [typeof(Trip), typeof(Warden.Domain.Agents.Agent)];

    /// <summary>
    /// Reads again only the containments and agents another instance changed, when it named them: a
    /// trip elsewhere costs one read by key here, however many containments are active.
    /// </summary>
    public async Task ReloadAsync(StateChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var tripsNamed = changes.Touches(typeof(Trip)) ? changes.KeysOf(typeof(Trip)) : new HashSet<string>();
        var agentsNamed = changes.Touches(typeof(Warden.Domain.Agents.Agent)) ? changes.KeysOf(typeof(Warden.Domain.Agents.Agent)) : new HashSet<string>();
        var agentIds = new List<Warden.Domain.Agents.AgentId>();
        foreach (var key in agentsNamed ?? Enumerable.Empty<string>())
        {
            if (!Warden.Domain.Agents.AgentId.TryParse(key, out var id))
                agentsNamed = null;
            else
                agentIds.Add(id);
        }
        if (tripsNamed is null || agentsNamed is null)
        {
            await ReloadAsync(cancellationToken);
            return;
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var tripIds = tripsNamed.ToList();
        var trips = tripIds.Count == 0 ? []
            : await db.Containments.AsNoTracking().Where(c => tripIds.Contains(c.Id)).ToListAsync(cancellationToken);
        var agents = agentIds.Count == 0 ? []
            : await db.Agents.AsNoTracking()
                .Where(a => agentIds.Contains(a.Id))
                .Select(a => new { a.Id, a.Status, a.OwnerId, a.Segment })
                .ToListAsync(cancellationToken);
        ContainmentSet before, set;
        lock (_write)
        {
            before = _current;
            set = before;
            // Unchanged (this instance's own trip, already swapped in), the set stays the same object.
            foreach (var id in tripIds)
            {
                var held = set.All.FirstOrDefault(c => c.Id == id);
                var trip = trips.FirstOrDefault(t => t.Id == id && t.ReleasedAt == null);
                if (trip is null && held is not null)
                    set = set.Without(id);
                else if (trip is not null && ToActive(trip) is var active && active != held)
                    set = set.With(active);
            }
            _current = set;
        }
        foreach (var (agentId, containmentId) in _containedBy)
        {
            if (!set.All.Any(c => c.Id == containmentId))
                _containedBy.TryRemove(new KeyValuePair<string, string>(agentId, containmentId));
        }
        foreach (var agent in agents)
        {
            if (agent.Status == Warden.Domain.Agents.AgentStatus.Contained
                && set.Covering(agent.Id.Value, agent.OwnerId.Value, agent.Segment) is { } covering)
                _containedBy[agent.Id.Value] = covering.Id;
            else
                _containedBy.TryRemove(agent.Id.Value, out _);
        }
        foreach (var id in agentIds.Select(a => a.Value).Except(agents.Select(a => a.Id.Value), StringComparer.Ordinal))
            _containedBy.TryRemove(id, out _);
        if (!SameIds(before, set))
            Raise();
    }

    private async Task ReadAsync(WardenDbContext db, CancellationToken cancellationToken)
    {
        var active = await db.Containments.AsNoTracking().Where(c => c.ReleasedAt == null).ToListAsync(cancellationToken);
        var set = ContainmentSet.Of(active.Select(ToActive));
        var contained = await db.Agents.AsNoTracking()
            .Where(a => a.Status == Warden.Domain.Agents.AgentStatus.Contained)
            .Select(a => new { a.Id, a.OwnerId, a.Segment })
            .ToListAsync(cancellationToken);
        ContainmentSet before;
        lock (_write)
        {
            before = _current;
            _current = set;
        }
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var agent in contained)
        {
            if (set.Covering(agent.Id.Value, agent.OwnerId.Value, agent.Segment) is { } covering)
            {
                _containedBy[agent.Id.Value] = covering.Id;
                covered.Add(agent.Id.Value);
            }
        }
        foreach (var agentId in _containedBy.Keys)
        {
            if (!covered.Contains(agentId))
                _containedBy.TryRemove(agentId, out _);
        }
        Loaded = true;
        if (!SameIds(before, set))
            Raise();
    }

    private static bool SameIds(ContainmentSet a, ContainmentSet b) =>
        a.All.Select(c => c.Id).Order(StringComparer.Ordinal).SequenceEqual(b.All.Select(c => c.Id).Order(StringComparer.Ordinal), StringComparer.Ordinal);

    public void Add(Trip containment, IEnumerable<string> agentIds)
    {
        ArgumentNullException.ThrowIfNull(containment);
        lock (_write)
            _current = _current.With(ToActive(containment));
        foreach (var agentId in agentIds)
            _containedBy.TryAdd(agentId, containment.Id);
        Raise();
    }

    public void Remove(string containmentId, IEnumerable<string> agentIds)
    {
        lock (_write)
            _current = _current.Without(containmentId);
        foreach (var agentId in agentIds)
            _containedBy.TryRemove(new KeyValuePair<string, string>(agentId, containmentId));
        Raise();
    }

    private void Raise()
    {
        var handlers = Changed;
        if (handlers is null)
            return;
        foreach (var handler in handlers.GetInvocationList().Cast<Action>())
        {
            try
            {
                handler();
            }
#pragma warning disable CA1031 // A closed circuit's handler must not stop the others.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    /// <summary>Why <paramref name="agentId"/> is contained, in words for the agent, when a trip on this instance covers it.</summary>
    public string? ReasonFor(string agentId)
    {
        if (!_containedBy.TryGetValue(agentId, out var containmentId))
            return null;
        var covering = _current.All.FirstOrDefault(c => c.Id == containmentId) ?? _current.Global;
        return covering is null ? null : ContainmentSet.Describe(covering);
    }

    /// <summary>A request of <paramref name="agentId"/> was refused because of containment: the first one per trip is its time-to-contain.</summary>
    public void NoteRefusal(string agentId, DateTimeOffset at)
    {
        if (_containedBy.TryGetValue(agentId, out var containmentId))
            NoteRefusalOf(containmentId, at);
    }

    public void NoteRefusalOf(string containmentId, DateTimeOffset at) =>
        _refusals.AddOrUpdate(containmentId, static (_, at) => new RefusalTally(at, at, 1), static (_, tally, at) => tally.With(at), at);

    /// <summary>Takes the refusals noted since the last call (first, last and count per trip), for persisting.</summary>
    public IReadOnlyList<KeyValuePair<string, RefusalTally>> TakeRefusals()
    {
        var taken = new List<KeyValuePair<string, RefusalTally>>();
        foreach (var key in _refusals.Keys)
        {
            if (_refusals.TryRemove(key, out var tally))
                taken.Add(new(key, tally));
        }
        return taken;
    }

    private static ActiveContainment ToActive(Trip c) =>
        new(c.Id, c.Scope, c.Target, c.TargetLabel, c.Reason, c.TrippedAt);
}
