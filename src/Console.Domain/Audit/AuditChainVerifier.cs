namespace Warden.Domain.Audit;

public enum AuditChainFault
{
    None,
    HashMismatch,
    SequenceGap,
    PreviousHashMismatch,
    CheckpointMismatch,
    CheckpointForged,
    CheckpointBeyondHead,
}

/// <summary>The outcome of walking the chain: how far it holds, and where and why it first breaks.</summary>
public sealed record AuditVerification(
    long EventsChecked,
    long HeadSequence,
    string HeadHash,
    int CheckpointsChecked,
    long? FirstBadSequence,
    AuditChainFault Fault,
    string Reason)
{
    public bool IsIntact => Fault == AuditChainFault.None;
}

/// <summary>
/// Walks events in sequence order, one at a time, so a chain of any length is checked in constant
/// memory. Per event: the sequence follows on (else events were deleted), the previous hash is the
/// last event's hash (else events were inserted or reordered), the hash matches the content (else it
/// was edited), and any signed checkpoint at that sequence agrees (else the chain was re-hashed).
/// </summary>
public sealed class AuditChainVerifier
{
    private readonly SortedDictionary<long, AuditCheckpoint> _checkpoints;
    private readonly AuditCheckpointSigner _signer;
    private long _expected = 1;
    private string _previousHash = AuditChain.GenesisHash;
    private long _checked;
    private int _checkpointsChecked;
    private AuditVerification? _broken;

    public AuditChainVerifier(IEnumerable<AuditCheckpoint> checkpoints, AuditCheckpointSigner signer)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        _signer = signer ?? throw new ArgumentNullException(nameof(signer));
        _checkpoints = new SortedDictionary<long, AuditCheckpoint>(checkpoints.ToDictionary(c => c.Sequence));
    }

    public bool IsBroken => _broken is not null;

    public static AuditVerification Verify(IEnumerable<AuditEvent> events, IEnumerable<AuditCheckpoint> checkpoints, AuditCheckpointSigner signer)
    {
        ArgumentNullException.ThrowIfNull(events);
        var verifier = new AuditChainVerifier(checkpoints, signer);
        foreach (var e in events)
        {
            if (!verifier.Check(e))
                break;
        }
        return verifier.Finish();
    }

    public static async Task<AuditVerification> VerifyAsync(
        IAsyncEnumerable<AuditEvent> events, IEnumerable<AuditCheckpoint> checkpoints, AuditCheckpointSigner signer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var verifier = new AuditChainVerifier(checkpoints, signer);
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            if (!verifier.Check(e))
                break;
        }
        return verifier.Finish();
    }

    /// <summary>Checks the next event; false once the chain is broken (further events are ignored).</summary>
    public bool Check(AuditEvent next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (_broken is not null)
            return false;
        if (next.Sequence != _expected)
            return Break(next.Sequence > _expected ? _expected : next.Sequence, AuditChainFault.SequenceGap, next.Sequence > _expected
                ? $"Sequence {_expected} is missing (the next event is {next.Sequence}): events were deleted."
                : $"Sequence {next.Sequence} appears where {_expected} was expected: events were reordered or duplicated.");
        if (!string.Equals(next.PreviousHash, _previousHash, StringComparison.Ordinal))
            return Break(next.Sequence, AuditChainFault.PreviousHashMismatch,
                $"Sequence {next.Sequence} does not point at the hash of sequence {next.Sequence - 1}: events were inserted or reordered.");
        if (!string.Equals(AuditChain.HashOf(next.PreviousHash, next.Fields), next.Hash, StringComparison.Ordinal))
            return Break(next.Sequence, AuditChainFault.HashMismatch,
                $"Sequence {next.Sequence} does not match its hash: the event was edited.");
        if (_checkpoints.Remove(next.Sequence, out var checkpoint) && !CheckpointHolds(checkpoint, next))
            return false;

        _checked++;
        _expected++;
        _previousHash = next.Hash;
        return true;
    }

    public AuditVerification Finish()
    {
        if (_broken is not null)
            return _broken;
        var head = _expected - 1;
        var beyond = _checkpoints.Values.FirstOrDefault(_signer.IsGenuine);
        if (beyond is not null)
        {
            _checkpointsChecked++;
            Break(head + 1, AuditChainFault.CheckpointBeyondHead,
                $"A signed checkpoint vouches for sequence {beyond.Sequence}, but the chain ends at {head}: events after {head} were removed.");
            return _broken!;
        }
        return new AuditVerification(_checked, head, _previousHash, _checkpointsChecked, null, AuditChainFault.None,
            $"{_checked} events verified up to sequence {head}; {_checkpointsChecked} signed checkpoints agree.");
    }

    private bool CheckpointHolds(AuditCheckpoint checkpoint, AuditEvent at)
    {
        _checkpointsChecked++;
        if (!_signer.IsGenuine(checkpoint))
            return Break(at.Sequence, AuditChainFault.CheckpointForged,
                $"The checkpoint at sequence {at.Sequence} is not signed with Warden's key: it was forged or altered.");
        if (!string.Equals(checkpoint.Hash, at.Hash, StringComparison.Ordinal))
            return Break(at.Sequence, AuditChainFault.CheckpointMismatch,
                $"Sequence {at.Sequence} differs from its signed checkpoint: the chain up to it was rewritten and re-hashed.");
        return true;
    }

    private bool Break(long sequence, AuditChainFault fault, string reason)
    {
        _broken = new AuditVerification(_checked, _expected - 1, _previousHash, _checkpointsChecked, sequence, fault, reason);
        return false;
    }
}
