using System.Security.Cryptography;
using System.Text;
using Warden.Infrastructure.Hosting;
using Warden.Infrastructure.Storage;

namespace Warden.Features.Decisions;

/// <summary>
/// One-time execution grants. A grant is an HMAC over the decision id and the digest of the decided
/// request under a key kept in the data folder, so it is never stored, a replayed answer carries
/// the same grant, and a grant of one decision is worthless for any other.
/// </summary>
public sealed class GrantTokens
{
    public const string Prefix = "grt_";

    /// <summary>How long an allow's grant (or an approval's) may be used.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private const int KeyLength = 32;
    private readonly byte[] _key;

    public GrantTokens(DatabaseConnection connection)
    {
        var path = Path.Combine(connection.DataDirectory, "keys", "grant.key");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!File.Exists(path))
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            try
            {
                using var file = new FileStream(path, options);
                file.Write(RandomNumberGenerator.GetBytes(KeyLength));
                file.Flush(flushToDisk: true);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; use theirs.
            }
        }
        _key = File.ReadAllBytes(path);
        if (_key.Length != KeyLength)
            throw new StartupException($"The grant key '{path}' is damaged ({_key.Length} bytes, expected {KeyLength}); restore it from a backup or delete it to issue new grants.");
    }

    public string For(string decisionId, string requestDigest)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{decisionId}\n{requestDigest}"));
        return Prefix + Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public bool Matches(string? grant, string decisionId, string requestDigest) =>
        grant is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(grant), Encoding.UTF8.GetBytes(For(decisionId, requestDigest)));
}
