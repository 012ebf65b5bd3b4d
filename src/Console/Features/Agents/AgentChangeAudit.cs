using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Warden.Domain.Audit;
using Warden.Features.AuditLog;
using Warden.Persistence;

namespace Warden.Features.Agents;

/// <summary>
/// Every directory change record waiting in a context becomes an audit event (<c>agent.&lt;kind&gt;</c>),
/// so the directory services put change and event in the same transaction with one call.
/// </summary>
public static class AgentChangeAudit
{
    public static IReadOnlyList<AuditEntry> PendingIn(WardenDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.ChangeTracker.Entries<AgentChange>()
            .Where(e => e.State == EntityState.Added)
            .Select(e => ToEntry(e.Entity))
            .ToList();
    }

    public static AuditEntry ToEntry(AgentChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var actor = change.ActorId is null ? AuditActor.System : AuditActor.Person(change.ActorId, change.ActorName);
        var data = new JsonObject
        {
            ["reason"] = change.Reason,
            ["before"] = Parse(change.Before),
            ["after"] = Parse(change.After),
        };
        return new AuditEntry(actor, "agent." + change.Kind, change.AgentId, data.ToJsonString());
    }

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
