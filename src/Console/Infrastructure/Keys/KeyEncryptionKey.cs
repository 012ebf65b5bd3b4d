using System.Security.Cryptography;
using System.Text;
using Warden.Infrastructure.Hosting;
using Warden.Infrastructure.Storage;

namespace Warden.Infrastructure.Keys;

/// <summary>
/// Seals and opens stored key material with AES-256-GCM. A sealed value is
/// <c>version (1) | KEK id (8) | nonce (12) | tag (16) | ciphertext</c>, and its context (the key's name
/// and purpose) is authenticated with it, so a value moved to another row does not open.
/// </summary>
public sealed class KeyEncryptionKey
{
    public const string GeneratedFileName = "key-encryption.key";
    private const byte Version = 1;
    private const int IdLength = 8;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int HeaderLength = 1 + IdLength + NonceLength + TagLength;

    private readonly byte[] _key;
    private readonly byte[] _id;

    public KeyEncryptionKey(byte[] key, string source)
    {
        if (key.Length != 32)
            throw new ArgumentException("A key-encryption key is 32 bytes.", nameof(key));
        _key = key;
        _id = SHA256.HashData([.. "warden-kek:"u8, .. key])[..IdLength];
        Source = source;
    }

    /// <summary>Where the key came from, for messages (a setting's name or a file); never the key.</summary>
    public string Source { get; }

    /// <summary>A short public fingerprint telling which KEK sealed a value; it reveals nothing of the key.</summary>
    public string Id => Convert.ToHexStringLower(_id);

    public byte[] Seal(ReadOnlySpan<byte> plaintext, string context)
    {
        var sealedValue = new byte[HeaderLength + plaintext.Length];
        sealedValue[0] = Version;
        _id.CopyTo(sealedValue, 1);
        var nonce = sealedValue.AsSpan(1 + IdLength, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagLength);
        aes.Encrypt(nonce, plaintext, sealedValue.AsSpan(HeaderLength), sealedValue.AsSpan(1 + IdLength + NonceLength, TagLength), Encoding.UTF8.GetBytes(context));
        return sealedValue;
    }

    /// <summary>The plaintext, or null when this key did not seal the value (another KEK, another context, or altered bytes).</summary>
    public byte[]? TryOpen(ReadOnlySpan<byte> sealedValue, string context)
    {
        if (sealedValue.Length < HeaderLength || sealedValue[0] != Version || !sealedValue.Slice(1, IdLength).SequenceEqual(_id))
            return null;
        var plaintext = new byte[sealedValue.Length - HeaderLength];
        using var aes = new AesGcm(_key, TagLength);
        try
        {
            aes.Decrypt(sealedValue.Slice(1 + IdLength, NonceLength), sealedValue[HeaderLength..], sealedValue.Slice(1 + IdLength + NonceLength, TagLength),
                plaintext, Encoding.UTF8.GetBytes(context));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    /// <summary>The id of the KEK that sealed <paramref name="sealedValue"/>, for a message when it does not open.</summary>
    public static string? SealedUnder(ReadOnlySpan<byte> sealedValue) =>
        sealedValue.Length >= 1 + IdLength && sealedValue[0] == Version ? Convert.ToHexStringLower(sealedValue.Slice(1, IdLength)) : null;

    /// <summary>
    /// The configured KEK, or on SQLite one generated once into the data folder. A missing KEK on
    /// PostgreSQL, or a malformed one anywhere, stops start-up naming the setting.
    /// </summary>
    public static KeyEncryptionKey Resolve(KeyOptions options, DatabaseConnection connection)
    {
        var inline = !string.IsNullOrWhiteSpace(options.EncryptionKey);
        var file = !string.IsNullOrWhiteSpace(options.EncryptionKeyFile);
        if (inline && file)
            throw new StartupException("Keys:EncryptionKey and Keys:EncryptionKeyFile are both set: set one of them.");
        if (inline)
            return new KeyEncryptionKey(Parse(options.EncryptionKey!, "Keys:EncryptionKey"), "Keys:EncryptionKey");
        if (file)
            return new KeyEncryptionKey(ReadFile(options.EncryptionKeyFile!), $"Keys:EncryptionKeyFile '{options.EncryptionKeyFile}'");
        if (connection.Provider == DatabaseProvider.Postgres)
            throw new StartupException(
                "Keys:EncryptionKey (or Keys:EncryptionKeyFile) is required when Database:Provider is Postgres: every instance opens the shared keys with it. Generate one with `openssl rand -base64 32`.");
        var generated = DataFolderSecret.LoadOrCreate(connection.DataDirectory, GeneratedFileName, 32);
        if (generated.Length != 32)
            throw new StartupException($"The key-encryption key '{Path.Combine(connection.DataDirectory, GeneratedFileName)}' is not 32 bytes: restore it from a backup.");
        return new KeyEncryptionKey(generated, $"the data folder's {GeneratedFileName}");
    }

    public static KeyEncryptionKey? Previous(KeyOptions options) =>
        string.IsNullOrWhiteSpace(options.PreviousEncryptionKey)
            ? null
            : new KeyEncryptionKey(Parse(options.PreviousEncryptionKey, "Keys:PreviousEncryptionKey"), "Keys:PreviousEncryptionKey");

    private static byte[] Parse(string base64, string setting)
    {
        var buffer = new byte[64];
        if (Convert.TryFromBase64String(base64.Trim(), buffer, out var written) && written == 32)
            return buffer[..32];
        throw new StartupException($"{setting} must be the base64 of 32 random bytes (generate one with `openssl rand -base64 32`).");
    }

    private static byte[] ReadFile(string path)
    {
        if (!File.Exists(path))
            throw new StartupException($"Keys:EncryptionKeyFile '{path}' does not exist.");
        var bytes = File.ReadAllBytes(path);
        return bytes.Length == 32 ? bytes : Parse(Encoding.ASCII.GetString(bytes), $"Keys:EncryptionKeyFile '{path}'");
    }
}
