using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Warden.Domain.Agents;
using Warden.Features.Notifications;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Agents;

/// <summary>
/// Opening and superseding change requests inside the caller's transaction: the request, its change
/// record (and so its audit event) and the officers' notification commit together.
/// </summary>
internal static class AgentChangeRequests
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> TokenLifetimeAsync(WardenDbContext db, AgentId agent, CancellationToken cancellationToken) =>
        await db.Set<AgentCredential>().AsNoTracking()
            .Where(c => c.AgentId == agent.Value)
            .Select(c => (int?)c.AccessTokenLifetimeMinutes)
            .SingleOrDefaultAsync(cancellationToken) ?? AgentTokenLifetime.DefaultMinutes;

    public static async Task<(AgentChangeRequest Request, string? Notification)> OpenAsync(
        WardenDbContext db, Notifier notifier, Agent agent, Actor actor, AgentDraft proposed,
        int baseLifetime, int proposedLifetime, IReadOnlyList<Widening> widenings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await SupersedePendingAsync(db, agent.Id, "the owner asked for another change", now, cancellationToken);
        var request = AgentChangeRequest.Open(
            agent.Id, actor.Id,
            JsonSerializer.Serialize(AgentDrafts.FromProfile(agent.Profile, agent.BackupOwnerId?.Value), Json),
            JsonSerializer.Serialize(proposed, Json),
            baseLifetime, proposedLifetime, JsonSerializer.Serialize(widenings, Json), now);
        db.AgentChangeRequests.Add(request);
        db.AgentChanges.Add(AgentRegistryService.ChangeRecord(agent, actor, "change_requested", Summary(request.Id, widenings), AgentSnapshot.Of(agent), now));
        var notification = notifier.Queue(db, "agent.change_requested", request.Id, new
        {
            request = request.Id,
            agent = new { id = agent.Id.Value, name = agent.Name },
            requestedBy = actor.Email,
            widens = widenings.Select(w => new { field = w.Field, before = w.Before, after = w.After }),
            link = notifier.Link($"/agents/{agent.Id.Value}"),
        }, now);
        return (request, notification);
    }

    public static async Task SupersedePendingAsync(WardenDbContext db, AgentId agent, string why, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pending = await db.AgentChangeRequests
            .Where(r => r.AgentId == agent && r.State == ChangeRequestState.Pending)
            .ToListAsync(cancellationToken);
        foreach (var request in pending)
        {
            request.Supersede(why, now);
            db.AgentChanges.Add(new AgentChange
            {
                AgentId = agent.Value,
                At = now,
                ActorName = "system",
                Kind = "change_superseded",
                Reason = $"{request.Id}: {why}",
            });
        }
    }

    public static IReadOnlyList<Widening> WideningsOf(AgentChangeRequest request) =>
        JsonSerializer.Deserialize<List<Widening>>(request.Widenings, Json) ?? [];

    public static AgentDraft DraftOf(string json) =>
        JsonSerializer.Deserialize<AgentDraft>(json, Json) ?? throw new InvalidOperationException("A stored change request has no profile.");

    public static string Summary(string requestId, IReadOnlyList<Widening> widenings)
    {
        var text = $"{requestId} widens: " + string.Join("; ", widenings.Select(w => $"{w.Field} {w.Before} → {w.After}"));
        return text.Length <= 1000 ? text : text[..999] + "…";
    }
}
