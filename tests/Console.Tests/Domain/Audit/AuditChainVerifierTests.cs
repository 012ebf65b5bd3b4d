using Warden.Domain.Audit;

namespace Warden.Tests.Domain.Audit;

public sealed class AuditChainVerifierTests
{
    private static AuditVerification Verify(IEnumerable<AuditEvent> events, params AuditCheckpoint[] checkpoints) =>
        AuditChainVerifier.Verify(events, checkpoints, AuditChains.Signer);

    [Fact]
    public void Verify_UntouchedChain_IsIntactUpToItsHead()
    {
        var chain = AuditChains.Of(10);

        var result = Verify(chain);

        result.IsIntact.ShouldBeTrue(result.Reason);
        result.EventsChecked.ShouldBe(10);
        result.HeadSequence.ShouldBe(10);
        result.HeadHash.ShouldBe(chain[^1].Hash);
        result.FirstBadSequence.ShouldBeNull();
    }

    [Fact]
    public void Verify_EmptyChain_IsIntactAtSequenceZero()
    {
        var result = Verify([]);

        result.IsIntact.ShouldBeTrue();
        result.HeadSequence.ShouldBe(0);
        result.HeadHash.ShouldBe(AuditChain.GenesisHash);
    }

    [Fact]
    public void Verify_EditedEvent_NamesItAsAHashMismatch()
    {
        var chain = AuditChains.Of(10);
        chain[4] = AuditChains.WithData(chain[4], "{\"n\":500}");

        var result = Verify(chain);

        result.FirstBadSequence.ShouldBe(5);
        result.Fault.ShouldBe(AuditChainFault.HashMismatch);
        result.EventsChecked.ShouldBe(4);
    }

    [Fact]
    public void Verify_DeletedEvent_NamesTheMissingSequence()
    {
        var chain = AuditChains.Of(10);
        chain.RemoveAt(6);

        var result = Verify(chain);

        result.FirstBadSequence.ShouldBe(7);
        result.Fault.ShouldBe(AuditChainFault.SequenceGap);
    }

    [Fact]
    public void Verify_InsertedEventWithRenumberedFollowers_NamesTheFirstEventThatNoLongerLinks()
    {
        var chain = AuditChains.Of(10);
        var forged = AuditEvent.Chain(4, chain[2].Hash, AuditChains.Start, AuditActor.System, "agent.edited", "agt_9", "{}");
        var tampered = chain.Take(3).Append(forged).Concat(chain.Skip(3).Select(e => AuditChains.WithSequence(e, e.Sequence + 1))).ToList();

        var result = Verify(tampered);

        result.FirstBadSequence.ShouldBe(5);
        result.Fault.ShouldBe(AuditChainFault.PreviousHashMismatch);
    }

    [Fact]
    public void Verify_TwoEventsSwapped_NamesTheFirstSwappedPosition()
    {
        var chain = AuditChains.Of(10);
        var tampered = chain.ToList();
        (tampered[2], tampered[5]) = (AuditChains.WithSequence(chain[5], 3), AuditChains.WithSequence(chain[2], 6));

        var result = Verify(tampered);

        result.FirstBadSequence.ShouldBe(3);
        result.Fault.ShouldBe(AuditChainFault.PreviousHashMismatch);
    }

    [Fact]
    public void Verify_ChainRewrittenAndConsistentlyRehashed_IsCaughtByTheSignedCheckpoint()
    {
        var chain = AuditChains.Of(10);
        var checkpoint = AuditChains.Signer.Sign(8, chain[7].Hash, AuditChains.Start);
        var rewritten = chain.ToList();
        rewritten[2] = AuditChains.WithData(chain[2], "{\"n\":\"rewritten\"}");
        rewritten = AuditChains.Rehashed(rewritten);

        var withoutCheckpoint = Verify(rewritten);
        var result = Verify(rewritten, checkpoint);

        withoutCheckpoint.IsIntact.ShouldBeTrue("a consistent re-hash is invisible to the hashes alone");
        result.FirstBadSequence.ShouldBe(8);
        result.Fault.ShouldBe(AuditChainFault.CheckpointMismatch);
    }

    [Fact]
    public void Verify_CheckpointSignedWithAnotherKey_IsReportedAsForged()
    {
        var chain = AuditChains.Of(10);
        var otherKey = new AuditCheckpointSigner(new byte[32]);

        var result = Verify(chain, otherKey.Sign(5, chain[4].Hash, AuditChains.Start));

        result.FirstBadSequence.ShouldBe(5);
        result.Fault.ShouldBe(AuditChainFault.CheckpointForged);
    }

    [Fact]
    public void Verify_GenuineCheckpointsThatAgree_AreCounted()
    {
        var chain = AuditChains.Of(10);

        var result = Verify(chain, AuditChains.Signer.Sign(5, chain[4].Hash, AuditChains.Start), AuditChains.Signer.Sign(10, chain[9].Hash, AuditChains.Start));

        result.IsIntact.ShouldBeTrue(result.Reason);
        result.CheckpointsChecked.ShouldBe(2);
    }

    [Fact]
    public void Verify_TailDeletedPastASignedCheckpoint_NamesTheFirstMissingSequence()
    {
        var chain = AuditChains.Of(10);
        var checkpoint = AuditChains.Signer.Sign(10, chain[9].Hash, AuditChains.Start);

        var result = Verify(chain.Take(7), checkpoint);

        result.FirstBadSequence.ShouldBe(8);
        result.Fault.ShouldBe(AuditChainFault.CheckpointBeyondHead);
    }

    [Fact]
    public async Task VerifyAsync_StreamedEvents_GivesTheSameAnswerAsTheList()
    {
        var chain = AuditChains.Of(25);
        chain[19] = AuditChains.WithData(chain[19], "{}");

        var result = await AuditChainVerifier.VerifyAsync(chain.ToAsyncEnumerable(), [], AuditChains.Signer, TestContext.Current.CancellationToken);

        result.ShouldBe(Verify(chain));
        result.FirstBadSequence.ShouldBe(20);
    }

    [Fact]
    public void Verify_SealedHeadRequiredAndTailRehashedWithItsSealsRemoved_NamesTheFirstUnsealedSequence()
    {
        var chain = AuditChains.Of(10);
        var sealAtSix = AuditChains.Signer.Sign(6, chain[5].Hash, AuditChains.Start);
        var forged = AuditChains.Rehashed([.. chain.Take(7), AuditChains.WithData(chain[7], "{\"n\":0}"), .. chain.Skip(8)]);

        var result = AuditChainVerifier.Verify(forged, [sealAtSix], AuditChains.Signer, AuditSealRules.SealedHead);

        result.FirstBadSequence.ShouldBe(7);
        result.Fault.ShouldBe(AuditChainFault.UnsealedTail);
    }

    [Fact]
    public void Verify_SealedHeadRequiredAndHeadSealed_IsIntact()
    {
        var chain = AuditChains.Of(10);

        var result = AuditChainVerifier.Verify(chain, [AuditChains.Signer.Sign(10, chain[9].Hash, AuditChains.Start)], AuditChains.Signer, AuditSealRules.SealedHead);

        result.IsIntact.ShouldBeTrue(result.Reason);
    }

    [Fact]
    public void Verify_ChainTruncatedWithItsSeals_IsCaughtByTheHeadRecordedOutside()
    {
        var chain = AuditChains.Of(10);
        var outside = AuditChains.Signer.Sign(10, chain[9].Hash, AuditChains.Start);
        var truncated = chain.Take(6).ToList();

        var result = AuditChainVerifier.Verify(truncated, [AuditChains.Signer.Sign(6, chain[5].Hash, AuditChains.Start)], AuditChains.Signer,
            AuditSealRules.SealedHead.WithExternal([outside]));

        result.FirstBadSequence.ShouldBe(7);
        result.Fault.ShouldBe(AuditChainFault.ExternalHeadBeyondHead);
    }

    [Fact]
    public void Verify_ChainReplacedWithItsSeals_IsCaughtByTheHeadRecordedOutside()
    {
        var chain = AuditChains.Of(10);
        var outside = AuditChains.Signer.Sign(8, chain[7].Hash, AuditChains.Start);
        var replaced = AuditChains.Rehashed([AuditChains.WithData(chain[0], "{\"n\":0}"), .. chain.Skip(1)]);

        var result = AuditChainVerifier.Verify(replaced, [], AuditChains.Signer, AuditSealRules.Checkpoints.WithExternal([outside]));

        result.FirstBadSequence.ShouldBe(8);
        result.Fault.ShouldBe(AuditChainFault.ExternalHeadMismatch);
    }

    [Fact]
    public void Verify_HeadRecordedOutsideWithoutWardensKey_IsReportedAsForged()
    {
        var chain = AuditChains.Of(10);
        var forged = new AuditCheckpointSigner(new byte[32]).Sign(12, chain[9].Hash, AuditChains.Start);

        var result = AuditChainVerifier.Verify(chain, [], AuditChains.Signer, AuditSealRules.Checkpoints.WithExternal([forged]));

        result.Fault.ShouldBe(AuditChainFault.CheckpointForged);
    }
}
