namespace Warden.Domain.Audit;

/// <summary>
/// One link of the audit chain. Its hash covers every other field and the previous event's hash,
/// so changing, removing or inserting an event breaks the chain from that point on.
/// </summary>
public sealed class AuditEvent
{
    private AuditEvent()
    {
    }

    public long Sequence { get; private set; }
    public DateTimeOffset At { get; private set; }
    public AuditActorKind ActorKind { get; private set; }
    public string? ActorId { get; private set; }
    public string ActorName { get; private set; } = string.Empty;
    public string Kind { get; private set; } = string.Empty;
    public string Subject { get; private set; } = string.Empty;
    public string Data { get; private set; } = string.Empty;
    public string PreviousHash { get; private set; } = string.Empty;
    public string Hash { get; private set; } = string.Empty;

    public AuditFields Fields => new(Sequence, At, ActorKind, ActorId, ActorName, Kind, Subject, Data);

    /// <summary>The event that follows <paramref name="previousHash"/>; <paramref name="data"/> must already be masked.</summary>
    public static AuditEvent Chain(long sequence, string previousHash, DateTimeOffset at, AuditActor actor, string kind, string subject, string data)
    {
        var fields = new AuditFields(sequence, AuditChain.Normalize(at), actor.Kind, actor.Id, actor.Name, kind, subject, data);
        return Restore(fields, previousHash, AuditChain.HashOf(previousHash, fields));
    }

    /// <summary>An event exactly as stored, for verification and tests; nothing is recomputed.</summary>
    public static AuditEvent Restore(AuditFields fields, string previousHash, string hash) => new()
    {
        Sequence = fields.Sequence,
        At = fields.At,
        ActorKind = fields.ActorKind,
        ActorId = fields.ActorId,
        ActorName = fields.ActorName,
        Kind = fields.Kind,
        Subject = fields.Subject,
        Data = fields.Data,
        PreviousHash = previousHash,
        Hash = hash,
    };
}

/// <summary>The hashed content of an event, in canonical order.</summary>
public readonly record struct AuditFields(
    long Sequence,
    DateTimeOffset At,
    AuditActorKind ActorKind,
    string? ActorId,
    string ActorName,
    string Kind,
    string Subject,
    string Data);
