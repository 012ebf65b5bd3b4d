using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Warden.Infrastructure.Storage;
using Warden.Persistence;

namespace Warden.Infrastructure.Keys;

/// <summary>
/// Before keys were shared, the gateway sealed upstream credentials with a Data Protection key ring in
/// the data folder (keys/gateway). Its keys are copied once into the shared ring, their secrets sealed
/// under the KEK, so credentials sealed before an upgrade still open.
/// </summary>
public sealed class DataProtectionImport(DatabaseConnection connection, IDbContextFactory<WardenDbContext> contexts, KeyEncryptionKey kek)
{
    private static readonly XNamespace Ring = "http://schemas.asp.net/2015/03/dataProtection";

    public string LegacyFolder => Path.Combine(connection.DataDirectory, "keys", "gateway");

    public async Task<int> ImportAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(LegacyFolder))
            return 0;
        await using var db = contexts.CreateDbContext();
        var imported = 0;
        foreach (var file in Directory.GetFiles(LegacyFolder, "key-*.xml").Order(StringComparer.Ordinal))
        {
            var friendlyName = Path.GetFileNameWithoutExtension(file);
            if (await db.DataProtectionKeys.AnyAsync(k => k.FriendlyName == friendlyName, cancellationToken))
                continue;
            db.DataProtectionKeys.Add(new Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey
            {
                FriendlyName = friendlyName,
                Xml = Sealed(XElement.Load(file)).ToString(SaveOptions.DisableFormatting),
            });
            imported++;
        }
        await db.SaveChangesAsync(cancellationToken);
        return imported;
    }

    /// <summary>What Data Protection itself does before storing a key: each element marked as needing encryption becomes an encrypted secret.</summary>
    private XElement Sealed(XElement key)
    {
        var sealer = new DataProtectionKeySealer(kek);
        foreach (var secret in key.Descendants().Where(e => (bool?)e.Attribute(Ring + "requiresEncryption") == true).ToList())
        {
            var encrypted = sealer.Encrypt(secret);
            secret.ReplaceWith(new XElement(Ring + "encryptedSecret",
                new XAttribute("decryptorType", encrypted.DecryptorType.AssemblyQualifiedName!), encrypted.EncryptedElement));
        }
        return key;
    }
}
