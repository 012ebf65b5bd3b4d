using System.ComponentModel.DataAnnotations;

namespace Warden.Infrastructure.AgentIdentity;

public sealed class AgentIdentityOptions
{
    public const string SectionName = "AgentIdentity";

    /// <summary>Accept the token endpoint over plain HTTP; only for local development and tests.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Issuer URI of tokens and grants; required on PostgreSQL (one issuer for every instance), on SQLite by default the address the request arrived on.</summary>
    public Uri? Issuer { get; set; }

    /// <summary>PKCS#12 file with the signing key; by default generated once into the shared key store.</summary>
    public string? SigningCertificatePath { get; set; }

    public string? SigningCertificatePassword { get; set; }

    /// <summary>PKCS#12 file with the encryption key; by default generated once into the shared key store.</summary>
    public string? EncryptionCertificatePath { get; set; }

    public string? EncryptionCertificatePassword { get; set; }

    [Range(60, 3600)]
    public int ClientAssertionCacheSeconds { get; set; } = 900;
}
