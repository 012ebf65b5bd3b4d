using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Warden.Features.Decisions.Grants;
using Warden.Infrastructure.AgentIdentity;

namespace Warden.Tests.Features.Decisions.Grants;

/// <summary>
/// The console's own grant reader (redemption and outcome reports run it) against grants shaped by an
/// attacker: each is refused, none throws. Where the attack needs a valid signature the token is
/// signed here with the console's key, so the refusal comes from the part under attack.
/// </summary>
public sealed class GrantTokensTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("warden-grant-tokens-");
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly GrantKeys _keys;
    private readonly GrantTokens _tokens;

    public GrantTokensTests()
    {
        var signing = Path.Combine(_folder.FullName, "ec.pem");
        var retired = Path.Combine(_folder.FullName, "rsa.pem");
        File.WriteAllText(signing, _ec.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(retired, _rsa.ExportPkcs8PrivateKeyPem());
        _keys = GrantKeys.FromFiles(new GrantOptions { SigningKeyPath = signing, RetiredKeyPaths = { retired } });
        _tokens = new GrantTokens(_keys, new GrantIssuer(Options.Create(new AgentIdentityOptions { Issuer = new Uri("http://localhost:5080/") }), new HttpContextAccessor()));
    }

    private string EcKid => _keys.Signing.Id;

    private string RsaKid => _keys.All.Single(k => k.Algorithm == GrantKey.RsaAlgorithm).Id;

    private string Header(string alg = "ES256", string? kid = null) =>
        $$"""{"alg":"{{alg}}","kid":"{{kid ?? EcKid}}","typ":"{{GrantTokens.Type}}"}""";

    private static GrantClaims Claims() => new("http://localhost:5080/", "dec_1", "agt_1", "crm.read", "read", "crm/accounts/42",
        new string('a', 64), Now, Now + GrantTokens.Lifetime);

    private static string Payload(string? extra = null) =>
        $$"""{"iss":"http://localhost:5080/","aud":"warden-tools","jti":"dec_1","sub":"agt_1","tool":"crm.read","operation":"read","resource":"crm/accounts/42","digest":"{{new string('a', 64)}}","iat":{{Now.ToUnixTimeSeconds()}},"nbf":{{Now.ToUnixTimeSeconds()}},"exp":{{(Now + GrantTokens.Lifetime).ToUnixTimeSeconds()}}{{extra}}}""";

    private string Es256(string header, string payload)
    {
        var input = $"{Base64UrlEncoder.Encode(header)}.{Base64UrlEncoder.Encode(payload)}";
        var signature = _ec.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{input}.{Base64UrlEncoder.Encode(signature)}";
    }

    private bool Reads(string token) => _tokens.TryRead(token, out _);

    [Fact]
    public void TryRead_AGrantItSigned_GivesBackItsClaims()
    {
        var read = _tokens.TryRead(_tokens.Sign(Claims()), out var claims);

        read.ShouldBeTrue();
        claims.ShouldBe(Claims());
    }

    [Fact]
    public void TryRead_AGrantSignedHereByTheSameRules_IsRead()
    {
        Reads(Es256(Header(), Payload())).ShouldBeTrue();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(90)]
    [InlineData(400)]
    public void TryRead_ATokenCutAnywhere_IsRefused(int cut)
    {
        Reads(_tokens.Sign(Claims())[..^cut]).ShouldBeFalse();
    }

    [Theory]
    [InlineData(".")]
    [InlineData(".AAAA")]
    [InlineData(".AAAA.AAAA")]
    public void TryRead_ExtraSegments_AreRefused(string tail)
    {
        Reads(_tokens.Sign(Claims()) + tail).ShouldBeFalse();
    }

    [Theory]
    [InlineData(0, "+")]
    [InlineData(1, "=")]
    [InlineData(1, " ")]
    [InlineData(2, "\n")]
    [InlineData(2, "é")]
    public void TryRead_ACharacterOutsideBase64Url_IsRefused(int part, string character)
    {
        var parts = _tokens.Sign(Claims()).Split('.');
        parts[part] = parts[part][..8] + character + parts[part][8..];

        Reads(string.Join('.', parts)).ShouldBeFalse();
    }

    [Fact]
    public void TryRead_AlgorithmSwappedToHs256WithThePublicKeyAsSecret_IsRefused()
    {
        var input = $"{Base64UrlEncoder.Encode(Header("HS256"))}.{Base64UrlEncoder.Encode(Payload())}";
        var mac = HMACSHA256.HashData(_ec.ExportSubjectPublicKeyInfo(), Encoding.ASCII.GetBytes(input));

        Reads($"{input}.{Base64UrlEncoder.Encode(mac)}").ShouldBeFalse();
    }

    [Fact]
    public void TryRead_AlgNone_IsRefused()
    {
        Reads($"{Base64UrlEncoder.Encode(Header("none"))}.{Base64UrlEncoder.Encode(Payload())}.").ShouldBeFalse();
        Reads(Es256(Header("none"), Payload())).ShouldBeFalse();
    }

    [Fact]
    public void TryRead_Es256UnderTheKidOfTheRsaKey_IsRefused()
    {
        Reads(Es256(Header(kid: RsaKid), Payload())).ShouldBeFalse();
    }

    [Theory]
    [InlineData("""{"alg":"ES256","alg":"ES256","kid":"{kid}","typ":"warden-grant+jwt"}""")]
    [InlineData("""{"alg":"ES256","kid":"{kid}","typ":"warden-grant+jwt","crit":["b64"]}""")]
    [InlineData("""{"alg":"ES256","kid":"{kid}","typ":"JWT"}""")]
    [InlineData("""{"alg":"ES256","kid":"{kid}","typ":"warden-grant+jwt"}x""")]
    [InlineData("""["ES256"]""")]
    [InlineData("not json")]
    public void TryRead_AHeaderOtherThanOneGrantHeader_IsRefused(string header)
    {
        Reads(Es256(header.Replace("{kid}", EcKid, StringComparison.Ordinal), Payload())).ShouldBeFalse();
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1]")]
    [InlineData("{\"aud\":\"warden-tools\"}")]
    public void TryRead_SignedClaimsThatAreNotAGrant_AreRefused(string payload)
    {
        Reads(Es256(Header(), payload)).ShouldBeFalse();
    }

    [Theory]
    [InlineData(""","resource":"crm/accounts/43" """)]
    [InlineData(""","exp":"later" """)]
    [InlineData(""","aud":"warden-api" """)]
    public void TryRead_SignedClaimsNamingAClaimTwice_AreRefused(string extra)
    {
        Reads(Es256(Header(), Payload(extra))).ShouldBeFalse();
    }

    [Fact]
    public void TryRead_AnotherAudience_IsRefused()
    {
        Reads(Es256(Header(), Payload().Replace("\"warden-tools\"", "[\"warden-api\"]", StringComparison.Ordinal))).ShouldBeFalse();
    }

    [Fact]
    public void TryRead_AHugeToken_IsRefusedUnread()
    {
        Reads(_tokens.Sign(Claims()) + new string('A', 1_000_000)).ShouldBeFalse();
    }

    public void Dispose()
    {
        _keys.Dispose();
        _ec.Dispose();
        _rsa.Dispose();
        _folder.Delete(recursive: true);
    }
}
