using Warden.Domain.Agents;
using Warden.Features.Agents;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Credentials;

/// <summary>
/// Where credential events are recorded: the agent's change history, in the same transaction. This is
/// the seam for the hash-chained audit log: once it has a writer, credential events go there too.
/// </summary>
internal static class CredentialEvents
{
    public static void Record(WardenDbContext db, Agent agent, Actor actor, string kind, string description, DateTimeOffset now)
    {
        var snapshot = AgentSnapshot.Of(agent);
        db.AgentChanges.Add(new AgentChange
        {
            AgentId = agent.Id.Value,
            At = now,
            ActorId = actor.Id.Value,
            ActorName = actor.Email,
            Kind = kind,
            Reason = description,
            Before = snapshot,
            After = snapshot,
        });
    }
}
