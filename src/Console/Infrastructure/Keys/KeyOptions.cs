namespace Warden.Infrastructure.Keys;

/// <summary>
/// The key-encryption key (KEK) that seals every stored key: base64 of 32 bytes in configuration, or a
/// file the operator provides holding the same (or the 32 raw bytes). Required on PostgreSQL; on SQLite
/// it is generated once into the data folder when neither is set.
/// </summary>
public sealed class KeyOptions
{
    public const string SectionName = "Keys";

    public string? EncryptionKey { get; set; }

    public string? EncryptionKeyFile { get; set; }

    /// <summary>The key-encryption key being rotated away from (base64 of 32 bytes): stored keys sealed under it are sealed again under the current one at start-up.</summary>
    public string? PreviousEncryptionKey { get; set; }
}
