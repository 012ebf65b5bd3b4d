using System.Security.Cryptography;
using System.Text;

namespace Warden.Infrastructure.Identity;

/// <summary>
/// Holds the one-time token printed at start-up while no administrator exists. The token lives in
/// memory only: a restart prints a new one, and using it once consumes it.
/// </summary>
public sealed class FirstRunSetup
{
    private readonly Lock _gate = new();
    private byte[]? _tokenHash;

    public bool IsOpen
    {
        get { lock (_gate) return _tokenHash is not null; }
    }

    public string Open()
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        lock (_gate) _tokenHash = Hash(token);
        return token;
    }

    public bool Matches(string? token)
    {
        if (string.IsNullOrEmpty(token))
            return false;
        lock (_gate)
            return _tokenHash is not null && CryptographicOperations.FixedTimeEquals(_tokenHash, Hash(token));
    }

    public bool TryConsume(string? token)
    {
        lock (_gate)
        {
            if (_tokenHash is null || string.IsNullOrEmpty(token) || !CryptographicOperations.FixedTimeEquals(_tokenHash, Hash(token)))
                return false;
            _tokenHash = null;
            return true;
        }
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
