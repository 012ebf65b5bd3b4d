using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using Warden.Client.Tests.Support;

namespace Warden.Client.Tests.Grants;

/// <summary>
/// Grants shaped by an attacker, read by the verifier's own parser: each is refused with its reason,
/// none throws. Tokens are signed here with the key set's own keys where the attack needs a valid
/// signature, so the refusal comes from the part under attack.
/// </summary>
public sealed class GrantTokenAttackTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly WardenAsk Call = WardenAsk.For("tickets.reply", "write", "helpdesk/tickets/1042", new { ticketId = "1042", body = "On it." });
    private static readonly string Header = """{"alg":"ES256","kid":"ec-1","typ":"warden-grant+jwt"}""";

    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly GrantKeySet _keys;
    private readonly GrantVerifier _verifier;

    public GrantTokenAttackTests()
    {
        _keys = GrantKeySet.Parse(Keys.Jwks(Keys.PublicJwk(_ec, "ec-1"), Keys.PublicJwk(_rsa, "rsa-1")));
        _verifier = GrantVerifier.Create(new GrantVerifierOptions { BaseAddress = new Uri("http://localhost:5080") }, new HttpClient(), new FakeTimeProvider(Now));
    }

    private static string Claims(string? extra = null, string? digest = null) =>
        $$"""{"iss":"http://localhost:5080/","aud":"warden-tools","jti":"dec_1","sub":"agt_1","tool":"tickets.reply","operation":"write","resource":"helpdesk/tickets/1042","digest":"{{digest ?? RequestDigest.Of(Call)}}","iat":{{Now.ToUnixTimeSeconds() - 60}},"nbf":{{Now.ToUnixTimeSeconds() - 60}},"exp":{{Now.ToUnixTimeSeconds() + 240}}{{extra}}}""";

    private string Es256(string header, string payload)
    {
        var input = $"{Base64UrlEncoder.Encode(header)}.{Base64UrlEncoder.Encode(payload)}";
        var signature = _ec.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{input}.{Base64UrlEncoder.Encode(signature)}";
    }

    private GrantVerification Verify(string grant) => _verifier.Verify(grant, Call, _keys);

    [Fact]
    public void Verify_AGrantSignedHere_IsValid()
    {
        var result = Verify(Es256(Header, Claims()));

        result.IsValid.ShouldBeTrue(result.Detail);
    }

    [Fact]
    public void Verify_CutBeforeTheSignature_IsMalformed()
    {
        var grant = Es256(Header, Claims());

        var result = Verify(grant[..grant.LastIndexOf('.')]);

        result.Failure.ShouldBe(GrantFailure.Malformed);
    }

    [Fact]
    public void Verify_ASignatureShortOfABlock_FailsTheSignature()
    {
        var parts = Es256(Header, Claims()).Split('.');
        parts[2] = Base64UrlEncoder.Encode(Base64UrlEncoder.DecodeBytes(parts[2])[..^3]);

        var result = Verify(string.Join('.', parts));

        result.Failure.ShouldBe(GrantFailure.BadSignature);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(90)]
    [InlineData(400)]
    public void Verify_ATokenCutAnywhere_IsRefusedAsMalformedOrForged(int cut)
    {
        var grant = Es256(Header, Claims());

        var result = Verify(grant[..^cut]);

        result.Failure.ShouldBeOneOf(GrantFailure.Malformed, GrantFailure.BadSignature);
    }

    [Theory]
    [InlineData(".")]
    [InlineData(".AAAA")]
    [InlineData(".AAAA.AAAA")]
    public void Verify_ExtraSegments_AreMalformed(string tail)
    {
        var result = Verify(Es256(Header, Claims()) + tail);

        result.Failure.ShouldBe(GrantFailure.Malformed);
    }

    [Theory]
    [InlineData(0, "+")]
    [InlineData(1, "/")]
    [InlineData(2, "=")]
    [InlineData(1, " ")]
    [InlineData(1, "\n")]
    [InlineData(2, "é")]
    [InlineData(0, "\u0000")]
    public void Verify_ACharacterOutsideBase64Url_IsMalformed(int part, string character)
    {
        var parts = Es256(Header, Claims()).Split('.');
        parts[part] = parts[part][..8] + character + parts[part][8..];

        var result = Verify(string.Join('.', parts));

        result.Failure.ShouldBe(GrantFailure.Malformed);
    }

    [Fact]
    public void Verify_AlgorithmSwappedToHs256WithThePublicKeyAsSecret_IsRefusedAsTheWrongType()
    {
        var header = """{"alg":"HS256","kid":"ec-1","typ":"warden-grant+jwt"}""";
        var input = $"{Base64UrlEncoder.Encode(header)}.{Base64UrlEncoder.Encode(Claims())}";
        var mac = HMACSHA256.HashData(_ec.ExportSubjectPublicKeyInfo(), Encoding.ASCII.GetBytes(input));

        var result = Verify($"{input}.{Base64UrlEncoder.Encode(mac)}");

        result.Failure.ShouldBe(GrantFailure.WrongType);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("es256")]
    public void Verify_AnAlgorithmOtherThanEs256OrRs256_IsRefusedAsTheWrongType(string algorithm)
    {
        var result = Verify(Es256($$"""{"alg":"{{algorithm}}","kid":"ec-1","typ":"warden-grant+jwt"}""", Claims()));

        result.Failure.ShouldBe(GrantFailure.WrongType);
    }

    [Fact]
    public void Verify_AlgNoneWithoutASignature_IsMalformed()
    {
        var header = """{"alg":"none","kid":"ec-1","typ":"warden-grant+jwt"}""";

        var result = Verify($"{Base64UrlEncoder.Encode(header)}.{Base64UrlEncoder.Encode(Claims())}.");

        result.Failure.ShouldBe(GrantFailure.Malformed);
    }

    [Fact]
    public void Verify_Es256UnderTheKidOfAnRsaKey_FailsTheSignature()
    {
        var result = Verify(Es256("""{"alg":"ES256","kid":"rsa-1","typ":"warden-grant+jwt"}""", Claims()));

        result.Failure.ShouldBe(GrantFailure.BadSignature);
    }

    [Fact]
    public void Verify_Rs256UnderTheKidOfAnEcKey_FailsTheSignature()
    {
        var input = $"{Base64UrlEncoder.Encode("""{"alg":"RS256","kid":"ec-1","typ":"warden-grant+jwt"}""")}.{Base64UrlEncoder.Encode(Claims())}";
        var signature = _rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        var result = Verify($"{input}.{Base64UrlEncoder.Encode(signature)}");

        result.Failure.ShouldBe(GrantFailure.BadSignature);
    }

    [Theory]
    [InlineData("""{"alg":"ES256","typ":"warden-grant+jwt"}""")]
    [InlineData("""{"alg":"ES256","kid":"","typ":"warden-grant+jwt"}""")]
    [InlineData("""{"alg":"ES256","kid":7,"typ":"warden-grant+jwt"}""")]
    [InlineData("""{"alg":"ES256","kid":"ec-2","typ":"warden-grant+jwt"}""")]
    public void Verify_NoKnownKid_IsAnUnknownKey(string header)
    {
        var result = Verify(Es256(header, Claims()));

        result.Failure.ShouldBe(GrantFailure.UnknownKey);
    }

    [Theory]
    [InlineData("""{"alg":"ES256","alg":"ES256","kid":"ec-1","typ":"warden-grant+jwt"}""")]
    [InlineData("""{"alg":"ES256","kid":"ec-1","kid":"ec-1","typ":"warden-grant+jwt"}""")]
    [InlineData("""{"alg":"ES256","kid":"ec-1","typ":"warden-grant+jwt"} """ + "x")]
    [InlineData("""["ES256","ec-1"]""")]
    [InlineData("not json")]
    public void Verify_AHeaderThatIsNotOneObjectOfSingleMembers_IsMalformed(string header)
    {
        var result = Verify(Es256(header, Claims()));

        result.Failure.ShouldBe(GrantFailure.Malformed);
    }

    [Fact]
    public void Verify_AHeaderWithCriticalExtensions_IsRefusedAsTheWrongType()
    {
        var result = Verify(Es256("""{"alg":"ES256","kid":"ec-1","typ":"warden-grant+jwt","crit":["b64"],"b64":false}""", Claims()));

        result.Failure.ShouldBe(GrantFailure.WrongType);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2,3]")]
    [InlineData("\"a string\"")]
    [InlineData("")]
    public void Verify_SignedClaimsThatAreNotAJsonObject_AreMalformed(string payload)
    {
        var result = Verify(Es256(Header, payload));

        result.Failure.ShouldBe(GrantFailure.Malformed);
    }

    [Theory]
    [InlineData(""","resource":"helpdesk/tickets/9999" """)]
    [InlineData(""","exp":"soon" """)]
    [InlineData(""","nbf":1.5""")]
    [InlineData(""","aud":"warden-tools" """)]
    public void Verify_SignedClaimsNamingAClaimTwiceOrOfTheWrongKind_AreMalformed(string extra)
    {
        var result = Verify(Es256(Header, Claims(extra)));

        result.Failure.ShouldBe(GrantFailure.Malformed);
    }

    [Fact]
    public void Verify_TrailingTextAfterTheSignedClaims_IsMalformed()
    {
        var result = Verify(Es256(Header, Claims() + "{}"));

        result.Failure.ShouldBe(GrantFailure.Malformed);
    }

    [Fact]
    public void Verify_AnAudienceListNamingTheTools_IsValid()
    {
        var claims = Claims().Replace("\"aud\":\"warden-tools\"", "\"aud\":[\"other\",{\"x\":1},\"warden-tools\"]", StringComparison.Ordinal);

        var result = Verify(Es256(Header, claims));

        result.IsValid.ShouldBeTrue(result.Detail);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("long")]
    [InlineData("not-ascii")]
    public void Verify_ADigestClaimOfAnotherShape_IsForAnotherCall(string shape)
    {
        var real = RequestDigest.Of(Call);
        var digest = shape switch
        {
            "short" => real[..63],
            "long" => real + "0",
            _ => real[..63] + "ÿ",
        };

        var result = Verify(Es256(Header, Claims(digest: digest)));

        result.Failure.ShouldBe(GrantFailure.WrongCall);
    }

    [Fact]
    public void Verify_AnUpperCaseDigest_IsForAnotherCall()
    {
        var result = Verify(Es256(Header, Claims(digest: RequestDigest.Of(Call).ToUpperInvariant())));

        result.Failure.ShouldBe(GrantFailure.WrongCall);
    }

    [Theory]
    [InlineData(100_000)]
    [InlineData(4_000_000)]
    public void Verify_AHugeToken_IsMalformedUnread(int length)
    {
        var grant = Es256(Header, Claims());
        var huge = grant + new string('A', length);

        var result = Verify(huge);

        result.Failure.ShouldBe(GrantFailure.Malformed);
    }

    [Fact]
    public void Verify_AHugeHeaderWithinTheTokenLimit_IsMalformed()
    {
        var header = $$"""{"alg":"ES256","kid":"ec-1","typ":"warden-grant+jwt","pad":"{{new string('x', 2000)}}"}""";

        var result = Verify(Es256(header, Claims()));

        result.Failure.ShouldBe(GrantFailure.Malformed);
    }

    [Fact]
    public void Verify_LargeSignedClaimsWithinTheTokenLimit_AreReadFromAPooledBuffer()
    {
        var result = Verify(Es256(Header, Claims($",\"note\":\"{new string('x', 3000)}\"")));

        result.IsValid.ShouldBeTrue(result.Detail);
    }

    [Fact]
    public void Verify_FromManyThreadsWithOneKeySet_ValidGrantsPassAndForgedOnesFail()
    {
        var grant = Es256(Header, Claims());
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var input = grant[..grant.LastIndexOf('.')];
        var forged = $"{input}.{Base64UrlEncoder.Encode(forger.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))}";
        var outcomes = new GrantFailure?[8 * 50];

        Parallel.For(0, outcomes.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => outcomes[i] = Verify(i % 2 == 0 ? grant : forged).Failure);

        outcomes.Where((_, i) => i % 2 == 0).ShouldAllBe(f => f == null);
        outcomes.Where((_, i) => i % 2 == 1).ShouldAllBe(f => f == GrantFailure.BadSignature);
    }

    public void Dispose()
    {
        _verifier.Dispose();
        _ec.Dispose();
        _rsa.Dispose();
    }
}
