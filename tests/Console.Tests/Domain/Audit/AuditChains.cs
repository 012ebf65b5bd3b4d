using Warden.Domain.Audit;

namespace Warden.Tests.Domain.Audit;

/// <summary>Builds well-formed chains for the verifier's tests, and tampered copies of them.</summary>
internal static class AuditChains
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    public static readonly AuditCheckpointSigner Signer = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    public static List<AuditEvent> Of(int count)
    {
        var events = new List<AuditEvent>(count);
        var previous = AuditChain.GenesisHash;
        for (var sequence = 1; sequence <= count; sequence++)
        {
            var e = AuditEvent.Chain(sequence, previous, Start.AddSeconds(sequence), AuditActor.Person("u1", "olivia@warden.example"),
                "agent.edited", $"agt_{sequence % 3}", $"{{\"n\":{sequence}}}");
            events.Add(e);
            previous = e.Hash;
        }
        return events;
    }

    /// <summary>The chain rebuilt from <paramref name="from"/> on with consistent hashes, as someone who can write the database would.</summary>
    public static List<AuditEvent> Rehashed(IReadOnlyList<AuditEvent> events)
    {
        var result = new List<AuditEvent>(events.Count);
        var previous = AuditChain.GenesisHash;
        foreach (var e in events)
        {
            var fields = e.Fields with { Sequence = result.Count + 1 };
            var rebuilt = AuditEvent.Restore(fields, previous, AuditChain.HashOf(previous, fields));
            result.Add(rebuilt);
            previous = rebuilt.Hash;
        }
        return result;
    }

    public static AuditEvent WithData(AuditEvent e, string data) => AuditEvent.Restore(e.Fields with { Data = data }, e.PreviousHash, e.Hash);

    public static AuditEvent WithSequence(AuditEvent e, long sequence) => AuditEvent.Restore(e.Fields with { Sequence = sequence }, e.PreviousHash, e.Hash);
}
