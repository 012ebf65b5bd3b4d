using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Warden.Domain.Audit;
using Warden.Features.AuditLog;
using Warden.Persistence;

namespace Warden.Features.Agents;

/// <summary>
/// Every directory change record waiting in a context becomes an audit event (<c>agent.&lt;kind&gt;</c>),
/// so the directory services put change and event in the same transaction with one call. A change
/// that sets an agent's settings (a registration, an import, an edit) also records their digest, in
/// the change's event and in an <c>agent.settings_recorded</c> event the decision path finds by the
/// agent's id.
/// </summary>
public static class AgentChangeAudit
{
    /// <summary>
    /// The events of the change records waiting in <paramref name="db"/>; each whose agent is saved in
    /// the same context records the digest of that agent's settings (<see cref="AgentSettingsDigest"/>).
    /// </summary>
    public static IReadOnlyList<AuditEntry> PendingIn(WardenDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var agents = db.ChangeTracker.Entries<Warden.Domain.Agents.Agent>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Unchanged)
            .GroupBy(e => e.Entity.Id.Value)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var entries = new List<AuditEntry>();
        foreach (var change in db.ChangeTracker.Entries<AgentChange>().Where(e => e.State == EntityState.Added).Select(e => e.Entity))
        {
            // Only a change that sets the settings records them: a suspension or an attestation of a row
            // edited in the database must not make that edit look as if it came through Warden.
            var settings = agents.TryGetValue(change.AgentId, out var agent)
                && (agent.State == EntityState.Added || AgentSettingsDigest.SettingKinds.Contains(change.Kind))
                ? AgentSettingsDigest.Of(agent.Entity)
                : null;
            entries.Add(ToEntry(change, settings));
            if (settings is not null)
                entries.Add(AgentSettingsDigest.Recorded(change.AgentId, settings, change.Kind, Actor(change)));
        }
        return entries;
    }

    public static AuditEntry ToEntry(AgentChange change, string? settings = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        var actor = Actor(change);
        var data = new JsonObject
        {
            ["reason"] = change.Reason,
            ["before"] = Parse(change.Before),
            ["after"] = Parse(change.After),
        };
        if (settings is not null)
            data[AgentSettingsDigest.Field] = settings;
        return new AuditEntry(actor, "agent." + change.Kind, change.AgentId, data.ToJsonString());
    }

    private static AuditActor Actor(AgentChange change) =>
        change.ActorId is null ? AuditActor.System : AuditActor.Person(change.ActorId, change.ActorName);

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
}

/// <summary>Saves a context's directory changes together with their audit events.</summary>
public static class AgentChangeAuditExtensions
{
    public static Task SaveWithAuditAsync(this AuditWriter audit, WardenDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return audit.AppendAsync(db, AgentChangeAudit.PendingIn(db), cancellationToken);
    }
}
