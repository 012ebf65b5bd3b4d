using Microsoft.EntityFrameworkCore;
using Warden.Domain.Agents;
using Warden.Domain.Audit;
using Warden.Features.Decisions;
using Warden.Persistence;

namespace Warden.Features.Evidence;

internal sealed record ScopedAgent(
    string Id, string Name, string OwnerId, string Owner, string Segment, AgentStatus Status, int Level,
    DateTimeOffset RegisteredAt, DateTimeOffset LastAttestedAt);

/// <summary>The agents a pack covers (null ids: every agent and every record) and how to filter rows to them.</summary>
internal sealed class EvidenceScopeContext
{
    private EvidenceScopeContext(string label, IReadOnlyList<ScopedAgent> agents, HashSet<string>? ids)
    {
        Label = label;
        Agents = agents;
        AgentIds = ids;
    }

    public string Label { get; }
    public IReadOnlyList<ScopedAgent> Agents { get; }
    public HashSet<string>? AgentIds { get; }

    public static async Task<EvidenceScopeContext> LoadAsync(WardenDbContext db, EvidenceScope scope, string? target, Warden.Features.Guardrails.Masking masking, CancellationToken cancellationToken)
    {
        var agents = db.Agents.AsNoTracking();
        agents = scope switch
        {
            EvidenceScope.Owner => agents.Where(a => a.OwnerId == new Warden.Domain.People.UserId(target ?? string.Empty)),
            EvidenceScope.Segment => agents.Where(a => a.Segment == target),
            EvidenceScope.Agent => AgentId.TryParse(target, out var id) ? agents.Where(a => a.Id == id) : agents.Where(a => false),
            _ => agents,
        };
        var rows = await agents.OrderBy(a => a.Name).Select(a => new
        {
            a.Id, a.Name, OwnerId = a.OwnerId.Value, a.Segment, a.Status, a.AutonomyLevel, a.RegisteredAt, a.LastAttestedAt,
        }).ToListAsync(cancellationToken);
        var ownerIds = rows.Select(r => r.OwnerId).Distinct().ToList();
        if (scope == EvidenceScope.Owner && target is not null)
            ownerIds.Add(target);
        var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName, u.Email }).ToDictionaryAsync(u => u.Id, cancellationToken);
        string OwnerLabel(string id) => owners.TryGetValue(id, out var o)
            ? masking.Text(string.IsNullOrWhiteSpace(o.DisplayName) ? o.Email : $"{o.DisplayName} ({o.Email})")
            : "(unknown person)";
        var scoped = rows.Select(r => new ScopedAgent(r.Id.Value, r.Name, r.OwnerId, OwnerLabel(r.OwnerId), r.Segment, r.Status, r.AutonomyLevel, r.RegisteredAt, r.LastAttestedAt)).ToList();
        var label = scope switch
        {
            EvidenceScope.Owner => $"Agents of {(target is null ? "(no owner)" : OwnerLabel(target))}",
            EvidenceScope.Segment => $"Segment {target}",
            EvidenceScope.Agent => scoped.Count == 1 ? $"Agent {scoped[0].Name} ({scoped[0].Id})" : $"Agent {target}",
            _ => "All agents",
        };
        return new EvidenceScopeContext(label, scoped, scope == EvidenceScope.Everything ? null : scoped.Select(a => a.Id).ToHashSet(StringComparer.Ordinal));
    }

    public IQueryable<DecisionRecord> Decisions(WardenDbContext db, DateTimeOffset start, DateTimeOffset end)
    {
        var query = db.Decisions.AsNoTracking().Where(d => d.DecidedAt >= start && d.DecidedAt < end);
        if (AgentIds is { } ids)
        {
            var list = ids.ToList();
            query = query.Where(d => list.Contains(d.AgentId));
        }
        return query;
    }

    public bool Covers(AuditEvent e) =>
        AgentIds is null || AgentIds.Contains(e.Subject) || (e.ActorId is { } actor && AgentIds.Contains(actor));
}
