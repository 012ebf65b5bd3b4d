using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Warden.Infrastructure.Hosting;
using Warden.Infrastructure.Storage;

namespace Warden.Features.Decisions.Grants;

/// <summary>
/// The key that signs grants and the keys a grant may still be verified with. Loaded from configured
/// PEM files, or generated once (EC P-256) into the data folder like the token keys: never ephemeral,
/// so grants outlive a restart.
/// </summary>
public sealed class GrantKeys : IDisposable
{
    private readonly Dictionary<string, GrantKey> _byId = new(StringComparer.Ordinal);

    public GrantKeys(DatabaseConnection connection, IOptions<GrantOptions> options)
    {
        var folder = Path.Combine(connection.DataDirectory, "keys");
        Signing = options.Value.SigningKeyPath is { Length: > 0 } configured
            ? Load(configured, mustSign: true)
            : LoadOrCreate(Path.Combine(folder, "grant-signing.pem"));
        var retired = options.Value.RetiredKeyPaths.Count > 0
            ? options.Value.RetiredKeyPaths
            : Directory.Exists(Path.Combine(folder, "grant-retired"))
                ? Directory.GetFiles(Path.Combine(folder, "grant-retired"), "*.pem").Order(StringComparer.Ordinal).ToList()
                : [];
        foreach (var key in retired.Select(path => Load(path, mustSign: false)).Prepend(Signing))
            _byId.TryAdd(key.Id, key);
    }

    public GrantKey Signing { get; }

    /// <summary>Every key a grant may carry: the signing key first, then the retired ones.</summary>
    public IReadOnlyCollection<GrantKey> All => _byId.Values;

    public GrantKey? Find(string? keyId) => keyId is not null && _byId.TryGetValue(keyId, out var key) ? key : null;

    public void Dispose()
    {
        foreach (var key in _byId.Values)
            key.Dispose();
    }

    private static GrantKey LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var created = GrantKey.NewEc();
            var temporary = $"{path}.{Environment.ProcessId}.tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var file = new StreamWriter(temporary, options))
            {
                file.Write(created.ExportPrivateKeyPem());
                file.Flush();
                ((FileStream)file.BaseStream).Flush(flushToDisk: true);
            }
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; use theirs.
                File.Delete(temporary);
            }
        }
        return Load(path, mustSign: true);
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
            throw new StartupException($"The grant key '{path}' cannot be read ({ex.Message}); restore it from a backup or delete it to sign new grants with a new key.", ex);
        }
        if (mustSign && !key.CanSign)
        {
            key.Dispose();
            throw new StartupException($"The grant key '{path}' holds no private key, so it cannot sign grants.");
        }
        return key;
    }
}
