using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Warden.Features.Gateway;

/// <summary>
/// Seals the headers (credentials) Warden sends to HTTP upstreams with ASP.NET Core Data Protection,
/// whose key ring every instance shares (in the database, sealed under the key-encryption key). Agents
/// never see them, and the console shows only their names.
/// </summary>
public sealed class UpstreamSecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Warden.Gateway.UpstreamHeaders.v1");

    public string? Seal(IReadOnlyDictionary<string, string> headers) =>
        headers.Count == 0 ? null : _protector.Protect(JsonSerializer.Serialize(headers));

    /// <summary>The headers, or none when they cannot be read (a lost key ring): the upstream then refuses, never a leak.</summary>
    public IReadOnlyDictionary<string, string> Open(string? sealedHeaders)
    {
        if (string.IsNullOrEmpty(sealedHeaders))
            return new Dictionary<string, string>();
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(_protector.Unprotect(sealedHeaders)) ?? [];
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException)
        {
            return new Dictionary<string, string>();
        }
    }
}
