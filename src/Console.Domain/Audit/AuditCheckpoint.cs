using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Warden.Domain.Audit;

/// <summary>
/// A signed statement "the chain's hash at this sequence was this". Whoever can rewrite the database
/// can re-hash the whole chain consistently, but cannot sign without the key kept outside it.
/// </summary>
public sealed class AuditCheckpoint
{
    private AuditCheckpoint()
    {
    }

    public long Sequence { get; private set; }
    public string Hash { get; private set; } = string.Empty;
    public DateTimeOffset At { get; private set; }
    public string Signature { get; private set; } = string.Empty;

    public static AuditCheckpoint Restore(long sequence, string hash, DateTimeOffset at, string signature) =>
        new() { Sequence = sequence, Hash = hash, At = at, Signature = signature };

    internal static string Payload(long sequence, string hash, DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"warden-checkpoint-v1\n{sequence}\n{hash}\n{at.UtcTicks}");
}

/// <summary>Signs and checks checkpoints with HMAC-SHA256 under a secret key.</summary>
public sealed class AuditCheckpointSigner
{
    private readonly byte[] _key;

    public AuditCheckpointSigner(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 32)
            throw new ArgumentException("A checkpoint key has at least 32 bytes.", nameof(key));
        _key = (byte[])key.Clone();
    }

    public AuditCheckpoint Sign(long sequence, string hash, DateTimeOffset at)
    {
        var normalized = AuditChain.Normalize(at);
        return AuditCheckpoint.Restore(sequence, hash, normalized, SignatureOf(sequence, hash, normalized));
    }

    public bool IsGenuine(AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var expected = Encoding.ASCII.GetBytes(SignatureOf(checkpoint.Sequence, checkpoint.Hash, checkpoint.At));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(checkpoint.Signature));
    }

    private string SignatureOf(long sequence, string hash, DateTimeOffset at) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(AuditCheckpoint.Payload(sequence, hash, at))));
}
