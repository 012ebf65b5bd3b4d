namespace Warden.Client;

/// <summary>What a call may safely repeat when it fails.</summary>
internal enum CallKind
{
    /// <summary>Repeating changes nothing (reads, long-polls, keys): every transient failure and a short 429 are retried.</summary>
    Read,

    /// <summary>An ask under one Idempotency-Key: transient failures are retried with the same key; a 429 is a recorded answer.</summary>
    Ask,

    /// <summary>Acts once (outcome reports, redemptions): retried only when Warden surely did nothing (no connection, 503, short 429).</summary>
    Once,
}
