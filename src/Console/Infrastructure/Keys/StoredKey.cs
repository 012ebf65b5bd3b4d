namespace Warden.Infrastructure.Keys;

/// <summary>
/// One key kept for every instance: its material sealed with AES-256-GCM under the key-encryption key,
/// bound to its name and purpose. At most one active (unretired) key per name; retired keys stay so that
/// what they signed still verifies.
/// </summary>
public sealed class StoredKey
{
    private StoredKey()
    {
        Name = string.Empty;
        Purpose = string.Empty;
        Material = [];
    }

    public StoredKey(string name, string purpose, byte[] material, DateTimeOffset createdAt)
    {
        Name = name;
        Purpose = purpose;
        Material = material;
        CreatedAt = createdAt;
    }

    public long Id { get; private set; }

    public string Name { get; private set; }

    /// <summary>What the material is (e.g. <c>hmac-sha256</c>, <c>ecdsa-p256-pkcs8</c>, <c>rsa-pkcs12</c>), so a reader knows how to load it.</summary>
    public string Purpose { get; private set; }

    /// <summary>The sealed material (see <see cref="KeyEncryptionKey"/>); never the key itself.</summary>
    public byte[] Material { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? RetiredAt { get; private set; }

    internal void Reseal(byte[] material) => Material = material;

    internal void Retire(DateTimeOffset now) => RetiredAt ??= now;
}
