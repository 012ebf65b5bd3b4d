using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Warden.Infrastructure.Keys;

/// <summary>
/// Seals each Data Protection key's secret under the key-encryption key before the key ring stores it
/// in the database, so the ring at rest is as safe as the other stored keys.
/// </summary>
public sealed class DataProtectionKeySealer(KeyEncryptionKey kek) : IXmlEncryptor
{
    internal const string Context = "warden-data-protection-key";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedValue = kek.Seal(plaintext, Context);
        return new EncryptedXmlInfo(
            new XElement("sealed", new XAttribute("kek", kek.Id), Convert.ToBase64String(sealedValue)),
            typeof(DataProtectionKeyOpener));
    }
}

/// <summary>Opens what <see cref="DataProtectionKeySealer"/> sealed; Data Protection creates it by type name with the app's services.</summary>
public sealed class DataProtectionKeyOpener(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var kek = services.GetRequiredService<KeyEncryptionKey>();
        var sealedValue = Convert.FromBase64String(encryptedElement.Value);
        var plaintext = kek.TryOpen(sealedValue, DataProtectionKeySealer.Context)
            ?? services.GetService<PreviousKeyEncryptionKey>()?.Key.TryOpen(sealedValue, DataProtectionKeySealer.Context)
            ?? throw new System.Security.Cryptography.CryptographicException(
                $"A Data Protection key does not open with the key-encryption key from {kek.Source} (id {kek.Id}).");
        return XElement.Parse(System.Text.Encoding.UTF8.GetString(plaintext));
    }
}

/// <summary>The key-encryption key being rotated away from, when one is configured.</summary>
public sealed record PreviousKeyEncryptionKey(KeyEncryptionKey Key);
