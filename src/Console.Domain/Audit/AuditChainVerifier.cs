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
    UnsealedTail,
    ExternalHeadMismatch,
    ExternalHeadBeyondHead,
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
/// <para>
/// With <see cref="AuditSealRules.SealedHead"/> the chain's head must be vouched for by a genuine
/// seal: events after the last one are a tail written outside Warden. Heads recorded outside the
/// database (an external sink, an earlier evidence pack) must be found in the chain as they were.
/// </para>
/// </summary>
public sealed class AuditChainVerifier
{
    private readonly SortedDictionary<long, AuditCheckpoint> _checkpoints;
    private readonly SortedDictionary<long, AuditCheckpoint> _external;
    private readonly AuditCheckpointSigner _signer;
    private readonly AuditSealRules _rules;
    private long _expected = 1;
    private string _previousHash = AuditChain.GenesisHash;
    private long _checked;
    private long _lastSealed;
    private int _checkpointsChecked;
    private AuditVerification? _broken;

    public AuditChainVerifier(IEnumerable<AuditCheckpoint> checkpoints, AuditCheckpointSigner signer)
        : this(checkpoints, signer, AuditSealRules.Checkpoints)
    {
    }

    public AuditChainVerifier(IEnumerable<AuditCheckpoint> checkpoints, AuditCheckpointSigner signer, AuditSealRules rules)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentNullException.ThrowIfNull(rules);
        _signer = signer ?? throw new ArgumentNullException(nameof(signer));
        _rules = rules;
        _checkpoints = new SortedDictionary<long, AuditCheckpoint>(checkpoints.ToDictionary(c => c.Sequence));
        _external = new SortedDictionary<long, AuditCheckpoint>();
        foreach (var head in rules.ExternalHeads)
        {
            // Of two outside records of one sequence, a disagreeing one must not hide behind an agreeing one.
            if (!_external.TryGetValue(head.Sequence, out var known) || string.Equals(known.Hash, head.Hash, StringComparison.Ordinal))
                _external[head.Sequence] = head;
            else if (!_signer.IsGenuine(known))
                _external[head.Sequence] = head;
        }
    }

    public bool IsBroken => _broken is not null;

    public static AuditVerification Verify(IEnumerable<AuditEvent> events, IEnumerable<AuditCheckpoint> checkpoints, AuditCheckpointSigner signer) =>
        Verify(events, checkpoints, signer, AuditSealRules.Checkpoints);

    public static AuditVerification Verify(IEnumerable<AuditEvent> events, IEnumerable<AuditCheckpoint> checkpoints, AuditCheckpointSigner signer, AuditSealRules rules)
    {
        ArgumentNullException.ThrowIfNull(events);
        var verifier = new AuditChainVerifier(checkpoints, signer, rules);
        foreach (var e in events)
        {
            if (!verifier.Check(e))
                break;
        }
        return verifier.Finish();
    }

    public static async Task<AuditVerification> VerifyAsync(
        IAsyncEnumerable<AuditEvent> events, IEnumerable<AuditCheckpoint> checkpoints, AuditCheckpointSigner signer, CancellationToken cancellationToken = default) =>
        await VerifyAsync(events, checkpoints, signer, AuditSealRules.Checkpoints, cancellationToken);

    public static async Task<AuditVerification> VerifyAsync(
        IAsyncEnumerable<AuditEvent> events, IEnumerable<AuditCheckpoint> checkpoints, AuditCheckpointSigner signer, AuditSealRules rules, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var verifier = new AuditChainVerifier(checkpoints, signer, rules);
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
        if (_checkpoints.Remove(next.Sequence, out var checkpoint))
        {
            if (!CheckpointHolds(checkpoint, next))
                return false;
            _lastSealed = next.Sequence;
        }
        if (_external.Remove(next.Sequence, out var recorded))
        {
            if (!ExternalHeadHolds(recorded, next))
                return false;
            _lastSealed = next.Sequence;
        }

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
        if (_external.Values.FirstOrDefault() is { } outside)
        {
            _checkpointsChecked++;
            Break(head + 1, _signer.IsGenuine(outside) ? AuditChainFault.ExternalHeadBeyondHead : AuditChainFault.CheckpointForged, _signer.IsGenuine(outside)
                ? $"A signed head recorded outside the database vouches for sequence {outside.Sequence}, but the chain ends at {head}: events after {head} were removed."
                : $"A head recorded outside the database for sequence {outside.Sequence} is not signed with Warden's key.");
            return _broken!;
        }
        if (_rules.RequireSealedHead && head > _lastSealed)
        {
            Break(_lastSealed + 1, AuditChainFault.UnsealedTail, _lastSealed == 0
                ? $"No event up to sequence {head} is covered by a signed seal: the chain was written outside Warden."
                : $"The events after sequence {_lastSealed} (up to {head}) are covered by no signed seal: they were written or rewritten outside Warden.");
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

    private bool ExternalHeadHolds(AuditCheckpoint recorded, AuditEvent at)
    {
        _checkpointsChecked++;
        if (!_signer.IsGenuine(recorded))
            return Break(at.Sequence, AuditChainFault.CheckpointForged,
                $"The head recorded outside the database for sequence {at.Sequence} is not signed with Warden's key.");
        if (!string.Equals(recorded.Hash, at.Hash, StringComparison.Ordinal))
            return Break(at.Sequence, AuditChainFault.ExternalHeadMismatch,
                $"Sequence {at.Sequence} differs from the signed head recorded outside the database: the chain up to it was replaced.");
        return true;
    }

    private bool Break(long sequence, AuditChainFault fault, string reason)
    {
        _broken = new AuditVerification(_checked, _expected - 1, _previousHash, _checkpointsChecked, sequence, fault, reason);
        return false;
    }
}

/// <summary>
/// What a verification demands beyond the links: <see cref="RequireSealedHead"/> (every event up to the
/// head is vouched for by a genuine seal, as Warden writes one with every commit) and the signed heads
/// recorded outside the database that the chain must still contain.
/// </summary>
public sealed record AuditSealRules(bool RequireSealedHead, IReadOnlyList<AuditCheckpoint> ExternalHeads)
{
    /// <summary>Links and whatever checkpoints exist; an unsealed tail is not a fault (chains built in tests).</summary>
    public static readonly AuditSealRules Checkpoints = new(false, []);

    /// <summary>Warden's own chain: sealed with every commit, so the head must be sealed.</summary>
    public static readonly AuditSealRules SealedHead = new(true, []);

    public AuditSealRules WithExternal(IEnumerable<AuditCheckpoint> heads) => this with { ExternalHeads = [.. ExternalHeads, .. heads] };
}
