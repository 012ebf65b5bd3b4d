using System.Text;
using Warden.Domain.Audit;

namespace Warden.Tests.Domain.Audit;

public sealed class AuditChainTests
{
    private static readonly AuditFields Fields = new(7, AuditChains.Start, AuditActorKind.Person, "u1", "olivia", "agent.edited", "agt_1", "{}");

    [Fact]
    public void HashOf_SameInput_IsStableLowercaseHexSha256()
    {
        var first = AuditChain.HashOf(AuditChain.GenesisHash, Fields);

        var second = AuditChain.HashOf(AuditChain.GenesisHash, Fields);

        first.ShouldBe(second);
        first.Length.ShouldBe(64);
        first.ShouldMatch("^[0-9a-f]{64}$");
    }

    [Fact]
    public void GenesisHash_IsSixtyFourZeros()
    {
        AuditChain.GenesisHash.ShouldBe(new string('0', 64));
    }

    [Fact]
    public void HashOf_AnyFieldChanged_ChangesTheHash()
    {
        var original = AuditChain.HashOf(AuditChain.GenesisHash, Fields);
        AuditFields[] variants =
        [
            Fields with { Sequence = 8 },
            Fields with { At = Fields.At.AddTicks(TimeSpan.TicksPerMicrosecond) },
            Fields with { ActorKind = AuditActorKind.Agent },
            Fields with { ActorId = null },
            Fields with { ActorName = "oliviA" },
            Fields with { Kind = "agent.edited " },
            Fields with { Subject = "agt_2" },
            Fields with { Data = "{ }" },
        ];

        var hashes = variants.Select(v => AuditChain.HashOf(AuditChain.GenesisHash, v)).ToList();

        hashes.ShouldNotContain(original);
        hashes.ShouldBeUnique();
        AuditChain.HashOf(new string('1', 64), Fields).ShouldNotBe(original);
    }

    [Fact]
    public void Encode_MovingTextBetweenAdjacentFields_GivesADifferentEncoding()
    {
        var a = Fields with { Kind = "agent.ed", Subject = "itedagt_1" };
        var b = Fields with { Kind = "agent.edited", Subject = "agt_1" };

        var encodedA = AuditChain.Encode(AuditChain.GenesisHash, a);
        var encodedB = AuditChain.Encode(AuditChain.GenesisHash, b);

        encodedA.ShouldNotBe(encodedB);
    }

    [Fact]
    public void Encode_NullAndEmptyActorId_AreDistinct()
    {
        var withNull = AuditChain.Encode(AuditChain.GenesisHash, Fields with { ActorId = null });

        var withEmpty = AuditChain.Encode(AuditChain.GenesisHash, Fields with { ActorId = string.Empty });

        withNull.ShouldNotBe(withEmpty);
    }

    [Fact]
    public void Encode_StartsWithTheVersionTagAsALengthPrefixedField()
    {
        var encoded = AuditChain.Encode(AuditChain.GenesisHash, Fields);

        encoded[..4].ShouldBe(new byte[] { 0, 0, 0, 15 });
        Encoding.UTF8.GetString(encoded, 4, 15).ShouldBe("warden-audit-v1");
    }

    [Fact]
    public void Chain_TimeWithSubMicrosecondTicksAndAnOffset_IsStoredAsWholeMicrosecondsUtc()
    {
        var at = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.FromHours(2)).AddTicks(1234567);

        var e = AuditEvent.Chain(1, AuditChain.GenesisHash, at, AuditActor.System, "agent.orphaned", "agt_1", "{}");

        e.At.Offset.ShouldBe(TimeSpan.Zero);
        e.At.UtcTicks.ShouldBe(at.UtcTicks - 7);
        e.Hash.ShouldBe(AuditChain.HashOf(AuditChain.GenesisHash, e.Fields));
    }

    [Fact]
    public void Chain_EachEvent_PointsAtTheHashOfTheOneBefore()
    {
        var chain = AuditChains.Of(3);

        chain[0].PreviousHash.ShouldBe(AuditChain.GenesisHash);
        chain[1].PreviousHash.ShouldBe(chain[0].Hash);
        chain[2].PreviousHash.ShouldBe(chain[1].Hash);
    }
}
