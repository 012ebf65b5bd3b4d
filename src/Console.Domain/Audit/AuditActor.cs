namespace Warden.Domain.Audit;

public enum AuditActorKind
{
    Person,
    Agent,
    System,
}

/// <summary>Who caused an audited change: a person, an agent, or Warden itself.</summary>
public sealed record AuditActor(AuditActorKind Kind, string? Id, string Name)
{
    public static readonly AuditActor System = new(AuditActorKind.System, null, "system");

    public static AuditActor Person(string id, string name) => new(AuditActorKind.Person, id, name);

    public static AuditActor Agent(string id, string name) => new(AuditActorKind.Agent, id, name);
}
