namespace Warden.Features.Decisions.Grants;

/// <summary>Where the grant signing key comes from; by default generated once into the shared key store.</summary>
public sealed class GrantOptions
{
    public const string SectionName = "Grants";

    /// <summary>A PEM file with the signing key: EC P-256 signs ES256, RSA (2048 bits or more) signs RS256.</summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>
    /// PEM files of keys that no longer sign but whose grants may still be in flight (a rotation): they
    /// stay in the key set and are accepted until removed, beside the retired keys of the key store.
    /// </summary>
    public IList<string> RetiredKeyPaths { get; } = [];
}
