using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Warden.Infrastructure.Hosting;
using Warden.Infrastructure.Keys;
using Warden.Infrastructure.Storage;

namespace Warden.Features.Decisions.Grants;

/// <summary>
/// The key that signs grants and the keys a grant may still be verified with. Loaded from configured
/// PEM files, or generated once (EC P-256) into the shared key store like the token keys: never
/// ephemeral, the same on every instance, so grants outlive a restart and verify everywhere. Retired
/// keys stay in the key set. A data folder's keys/grant-signing.pem (and keys/grant-retired/*.pem)
/// from before keys were shared are imported once.
/// </summary>
public sealed class GrantKeys : IDisposable, IStoredKeyUser
{
    public const string KeyName = "grant-signing";
    private const string Purpose = "grant-pkcs8-pem";

    private readonly Dictionary<string, GrantKey> _byId = new(StringComparer.Ordinal);

    public GrantKeys(KeyStore store, DatabaseConnection connection, IOptions<GrantOptions> options)
        : this(Resolve(store, connection, options.Value))
    {
    }

    private GrantKeys((GrantKey Signing, IEnumerable<GrantKey> Retired) keys)
    {
        Signing = keys.Signing;
        foreach (var key in keys.Retired.Prepend(Signing))
        {
            if (!_byId.TryAdd(key.Id, key))
                key.Dispose();
        }
    }

    /// <summary>A key set from configured PEM files alone, without the key store (benches and tools).</summary>
    public static GrantKeys FromFiles(GrantOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SigningKeyPath is not { Length: > 0 } configured)
            throw new ArgumentException("A signing key path is needed.", nameof(options));
        return new GrantKeys((Load(configured, mustSign: true), options.RetiredKeyPaths.Select(path => Load(path, mustSign: false)).ToList()));
    }

    public GrantKey Signing { get; }

    /// <summary>Every key a grant may carry: the signing key first, then the retired ones.</summary>
    public IReadOnlyCollection<GrantKey> All => _byId.Values;

    /// <summary>Nothing left to load: the keys were read when the set was made.</summary>
    public void LoadKeys()
    {
    }

    public GrantKey? Find(string? keyId) => keyId is not null && _byId.TryGetValue(keyId, out var key) ? key : null;

    public GrantKey? Find(ReadOnlySpan<char> keyId) => _byId.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(keyId, out var key) ? key : null;

    public void Dispose()
    {
        foreach (var key in _byId.Values)
            key.Dispose();
    }

    private static (GrantKey, IEnumerable<GrantKey>) Resolve(KeyStore store, DatabaseConnection connection, GrantOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        var folder = Path.Combine(connection.DataDirectory, "keys");
        var signing = options.SigningKeyPath is { Length: > 0 } configured
            ? Load(configured, mustSign: true)
            : Stored(store, folder, Path.Combine(folder, "grant-retired"));
        var retired = options.RetiredKeyPaths.Select(path => Load(path, mustSign: false))
            .Concat(store.Retired(KeyName).Select(pem => FromStore(pem, mustSign: false)))
            .ToList();
        return (signing, retired);
    }

    private static GrantKey Stored(KeyStore store, string folder, string retiredFolder)
    {
        var pem = store.GetOrCreate(KeyName, Purpose, NewKey, () =>
        {
            var legacy = DataFolderKeyFile.Read(folder, "grant-signing.pem");
            if (legacy is not null && Directory.Exists(retiredFolder))
                store.ImportRetired(KeyName, Purpose, Directory.GetFiles(retiredFolder, "*.pem").Order(StringComparer.Ordinal).Select(File.ReadAllBytes));
            return legacy;
        });
        return FromStore(pem, mustSign: true);
    }

    private static byte[] NewKey()
    {
        using var created = GrantKey.NewEc();
        return Encoding.UTF8.GetBytes(created.ExportPrivateKeyPem());
    }

    private static GrantKey FromStore(byte[] pem, bool mustSign)
    {
        var key = GrantKey.FromPem(Encoding.UTF8.GetString(pem));
        if (mustSign && !key.CanSign)
        {
            key.Dispose();
            throw new StartupException($"The stored grant key '{KeyName}' holds no private key, so it cannot sign grants.");
        }
        return key;
    }

    private static GrantKey Load(string path, bool mustSign)
    {
        if (!File.Exists(path))
            throw new StartupException($"The grant key '{path}' does not exist.");
        GrantKey key;
        try
        {
            key = GrantKey.FromPem(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new StartupException($"The grant key '{path}' cannot be read ({ex.Message}); restore it from a backup or remove it from the configuration.", ex);
        }
        if (mustSign && !key.CanSign)
        {
            key.Dispose();
            throw new StartupException($"The grant key '{path}' holds no private key, so it cannot sign grants.");
        }
        return key;
    }
}
