using Microsoft.EntityFrameworkCore;
using Warden.Infrastructure.Hosting;
using Warden.Persistence;

namespace Warden.Infrastructure.Keys;

/// <summary>
/// The keys every instance shares, kept in the database sealed under the key-encryption key. A key is
/// created once: an instance that finds none inserts its own (or the data-folder key it used before)
/// and then reads back whatever is stored, so instances starting together converge on one key and
/// never overwrite each other's.
/// </summary>
public sealed partial class KeyStore(
    IDbContextFactory<WardenDbContext> contexts, KeyEncryptionKey kek, TimeProvider clock, ILogger<KeyStore> logger, PreviousKeyEncryptionKey? rotation = null)
{
    private readonly KeyEncryptionKey? _previous = rotation?.Key;

    /// <summary>The active key named <paramref name="name"/>; created (or imported) when there is none.</summary>
    /// <param name="create">Makes a new key's material.</param>
    /// <param name="legacy">The material this instance used before keys were shared (a data-folder file), or null.</param>
    public byte[] GetOrCreate(string name, string purpose, Func<byte[]> create, Func<byte[]?>? legacy = null)
    {
        ArgumentNullException.ThrowIfNull(create);
        using var db = contexts.CreateDbContext();
        var stored = Active(db, name);
        if (stored is null)
        {
            var imported = legacy?.Invoke();
            db.Add(new StoredKey(name, purpose, kek.Seal(imported ?? create(), Context(name, purpose)), clock.GetUtcNow()));
            try
            {
                db.SaveChanges();
                if (imported is not null)
                    KeyStoreLog.Imported(logger, name);
                else
                    KeyStoreLog.Created(logger, name);
            }
            catch (DbUpdateException ex)
            {
                // Another instance stored this key first: use theirs (and if none is stored, this was another fault).
                db.ChangeTracker.Clear();
                stored = Active(db, name) ?? throw new InvalidOperationException($"The key '{name}' could not be stored: {ex.GetBaseException().Message}", ex);
                return Open(stored);
            }
            db.ChangeTracker.Clear();
            stored = Active(db, name) ?? throw new InvalidOperationException($"The key '{name}' was stored but cannot be read back.");
        }
        return Open(stored);
    }

    /// <summary>The retired keys of <paramref name="name"/>, newest first: they no longer sign, but what they signed still verifies.</summary>
    public IReadOnlyList<byte[]> Retired(string name)
    {
        using var db = contexts.CreateDbContext();
        return [.. db.StoredKeys.AsNoTracking().Where(k => k.Name == name && k.RetiredAt != null).OrderByDescending(k => k.Id).AsEnumerable().Select(Open)];
    }

    /// <summary>Stores keys that were already retired before keys were shared (a data-folder rotation), once: only while the store has no retired key of that name.</summary>
    public void ImportRetired(string name, string purpose, IEnumerable<byte[]> materials)
    {
        using var db = contexts.CreateDbContext();
        if (db.StoredKeys.Any(k => k.Name == name && k.RetiredAt != null))
            return;
        var now = clock.GetUtcNow();
        foreach (var material in materials)
        {
            var key = new StoredKey(name, purpose, kek.Seal(material, Context(name, purpose)), now);
            key.Retire(now);
            db.Add(key);
        }
        db.SaveChanges();
    }

    /// <summary>Retires the active key of <paramref name="name"/>: the next start of each instance creates a new one, and the retired key stays for verification.</summary>
    public async Task<bool> RetireAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var active = await db.StoredKeys.SingleOrDefaultAsync(k => k.Name == name && k.RetiredAt == null, cancellationToken);
        active?.Retire(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return active is not null;
    }

    /// <summary>
    /// At start-up: every stored key must open under the configured KEK. Keys sealed under the previous
    /// KEK (a rotation) are sealed again under the current one; any other key that does not open stops
    /// start-up, because a new key would silently break every token, checkpoint and signature made before.
    /// </summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var keys = await db.StoredKeys.ToListAsync(cancellationToken);
        foreach (var key in keys)
        {
            var context = Context(key.Name, key.Purpose);
            if (kek.TryOpen(key.Material, context) is not null)
                continue;
            if (_previous?.TryOpen(key.Material, context) is { } material)
            {
                key.Reseal(kek.Seal(material, context));
                continue;
            }
            throw new StartupException(
                $"The stored key '{key.Name}' does not open with the key-encryption key from {kek.Source} (id {kek.Id}; the key was sealed under id {KeyEncryptionKey.SealedUnder(key.Material) ?? "unknown"}): " +
                "configure the key-encryption key the keys were stored with (set the old one as Keys:PreviousEncryptionKey to rotate).");
        }
        foreach (var ring in await db.DataProtectionKeys.ToListAsync(cancellationToken))
            ring.Xml = Reseal(ring.FriendlyName, ring.Xml);
        if (db.ChangeTracker.HasChanges())
        {
            await db.SaveChangesAsync(cancellationToken);
            KeyStoreLog.Resealed(logger, keys.Count);
        }
    }

    /// <summary>A Data Protection key's XML with every sealed secret opened by the current KEK, resealed from the previous one, or refused.</summary>
    private string? Reseal(string? friendlyName, string? xml)
    {
        if (xml is null)
            return xml;
        var element = System.Xml.Linq.XElement.Parse(xml);
        var changed = false;
        foreach (var secret in element.Descendants().Where(e => e.Name.LocalName == "sealed").ToList())
        {
            var sealedValue = Convert.FromBase64String(secret.Value);
            if (kek.TryOpen(sealedValue, DataProtectionKeySealer.Context) is not null)
                continue;
            var plaintext = _previous?.TryOpen(sealedValue, DataProtectionKeySealer.Context)
                ?? throw new StartupException(
                    $"The Data Protection key '{friendlyName}' does not open with the key-encryption key from {kek.Source} (id {kek.Id}; it was sealed under id {KeyEncryptionKey.SealedUnder(sealedValue) ?? "unknown"}): " +
                    "configure the key-encryption key the keys were stored with (set the old one as Keys:PreviousEncryptionKey to rotate).");
            secret.ReplaceWith(new DataProtectionKeySealer(kek).Encrypt(System.Xml.Linq.XElement.Parse(System.Text.Encoding.UTF8.GetString(plaintext))).EncryptedElement);
            changed = true;
        }
        return changed ? element.ToString(System.Xml.Linq.SaveOptions.DisableFormatting) : xml;
    }

    private static StoredKey? Active(WardenDbContext db, string name) =>
        db.StoredKeys.AsNoTracking().SingleOrDefault(k => k.Name == name && k.RetiredAt == null);

    private byte[] Open(StoredKey key) =>
        kek.TryOpen(key.Material, Context(key.Name, key.Purpose))
        ?? throw new StartupException($"The stored key '{key.Name}' does not open with the key-encryption key from {kek.Source} (id {kek.Id}).");

    private static string Context(string name, string purpose) => $"warden-key\n{name}\n{purpose}";
}

internal static partial class KeyStoreLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Key {Name} created and stored for every instance.")]
    public static partial void Created(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Key {Name} imported from the data folder into the shared key store.")]
    public static partial void Imported(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored keys sealed again under the current key-encryption key ({Count} checked).")]
    public static partial void Resealed(ILogger logger, int count);
}
