using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Warden.Features.Decisions.Grants;

/// <summary>
/// One grant key: an EC P-256 key signs ES256, an RSA key (2048 bits or more) signs RS256. Its id is
/// the key's JWK thumbprint (RFC 7638), so the same key always has the same id.
/// </summary>
public sealed class GrantKey : IDisposable
{
    public const string EcAlgorithm = SecurityAlgorithms.EcdsaSha256;
    public const string RsaAlgorithm = SecurityAlgorithms.RsaSha256;

    private readonly ECDsa? _ec;
    private readonly RSA? _rsa;

    // Sign and verify never change the key, so one instance serves concurrent calls (as IdentityModel shares its keys).
    private GrantKey(ECDsa? ec, RSA? rsa, bool canSign)
    {
        _ec = ec;
        _rsa = rsa;
        CanSign = canSign;
        Algorithm = ec is not null ? EcAlgorithm : RsaAlgorithm;
        Id = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(ThumbprintInput())));
        SignatureLength = ec is not null ? 64 : rsa!.KeySize / 8;
    }

    public string Id { get; }

    public string Algorithm { get; }

    public bool CanSign { get; }

    public int SignatureLength { get; }

    public static GrantKey NewEc() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), null, canSign: true);

    public static GrantKey NewRsa(int bits = 2048) => new(null, RSA.Create(bits), canSign: true);

    /// <summary>A key from PEM text: a private key (PKCS#8, SEC1 or PKCS#1) signs, a public key only verifies.</summary>
    public static GrantKey FromPem(string pem)
    {
        var isPrivate = pem[PemEncoding.Find(pem).Label].Contains("PRIVATE", StringComparison.Ordinal);
        var ec = ECDsa.Create();
        if (TryImport(ec, pem))
        {
            if (ec.ExportParameters(false).Curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value)
                return new GrantKey(ec, null, isPrivate);
            ec.Dispose();
            throw new CryptographicException("An EC grant key must be on the P-256 curve (ES256).");
        }
        ec.Dispose();
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        if (rsa.KeySize < 2048)
            throw new CryptographicException("An RSA grant key needs at least 2048 bits (RS256).");
        return new GrantKey(null, rsa, isPrivate);
    }

    public string ExportPrivateKeyPem() =>
        _ec?.ExportPkcs8PrivateKeyPem() ?? _rsa!.ExportPkcs8PrivateKeyPem();

    public int Sign(ReadOnlySpan<byte> data, Span<byte> signature) => _ec is not null
        ? _ec.SignData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
        : _rsa!.SignData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == SignatureLength && (_ec is not null
            ? _ec.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
            : _rsa!.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    /// <summary>Whether <paramref name="signature"/> signs the SHA-256 <paramref name="hash"/> of the signing input; false for any fault.</summary>
    public bool VerifyHash(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength)
            return false;
        try
        {
            return _ec is not null
                ? _ec.VerifyHash(hash, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                : _rsa!.VerifyHash(hash, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The public key as a JSON Web Key (RFC 7517) for the key set tools fetch.</summary>
    public GrantJsonWebKey ToJwk() => _ec is not null
        ? new GrantJsonWebKey("EC", "sig", Algorithm, Id, Crv: "P-256", X: Member("x"), Y: Member("y"))
        : new GrantJsonWebKey("RSA", "sig", Algorithm, Id, N: Member("n"), E: Member("e"));

    public void Dispose()
    {
        _ec?.Dispose();
        _rsa?.Dispose();
    }

    // RFC 7638: the required members only, in lexicographic order, without whitespace.
    private string ThumbprintInput() => _ec is not null
        ? $$"""{"crv":"P-256","kty":"EC","x":"{{Member("x")}}","y":"{{Member("y")}}"}"""
        : $$"""{"e":"{{Member("e")}}","kty":"RSA","n":"{{Member("n")}}"}""";

    private string Member(string name) => PublicMembers().Single(m => m.Name == name).Value;

    private IEnumerable<(string Name, string Value)> PublicMembers()
    {
        if (_ec is not null)
        {
            var p = _ec.ExportParameters(false);
            yield return ("crv", "P-256");
            yield return ("x", Base64UrlEncoder.Encode(p.Q.X));
            yield return ("y", Base64UrlEncoder.Encode(p.Q.Y));
        }
        else
        {
            var p = _rsa!.ExportParameters(false);
            yield return ("n", Base64UrlEncoder.Encode(p.Modulus));
            yield return ("e", Base64UrlEncoder.Encode(p.Exponent));
        }
    }

    private static bool TryImport(ECDsa ec, string pem)
    {
        try
        {
            ec.ImportFromPem(pem);
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            return false;
        }
    }
}
