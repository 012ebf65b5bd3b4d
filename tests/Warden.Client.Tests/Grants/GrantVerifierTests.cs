using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using Warden.Client.Tests.Support;

namespace Warden.Client.Tests.Grants;

/// <summary>The offline grant check: keys and tokens made here, every way a grant can be wrong.</summary>
public sealed class GrantVerifierTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly WardenAsk Call = WardenAsk.For("tickets.reply", "write", "helpdesk/tickets/1042", new { ticketId = "1042", body = "On it." });

    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly KeysEndpoint _keys;
    private readonly GrantVerifier _verifier;

    public GrantVerifierTests()
    {
        _keys = new KeysEndpoint(Keys.Jwks(Keys.PublicJwk(_ec, "ec-1"), Keys.PublicJwk(_rsa, "rsa-1")));
        _verifier = GrantVerifier.Create(new GrantVerifierOptions { BaseAddress = new Uri("http://localhost:5080") }, new HttpClient(_keys), _clock);
    }

    private Task<GrantVerification> VerifyAsync(string grant, WardenAsk? call = null) =>
        _verifier.VerifyAsync(grant, call ?? Call, TestContext.Current.CancellationToken);

    private string EcGrant(WardenAsk? call = null, TimeSpan? expiresIn = null, string type = "warden-grant+jwt", string audience = "warden-tools", string? digest = null, TimeSpan? validFrom = null) =>
        GrantMaker.Make(GrantMaker.Ec(_ec, "ec-1"), SecurityAlgorithms.EcdsaSha256, call ?? Call, Now, expiresIn, type, audience, digest, validFrom);

    [Fact]
    public async Task VerifyAsync_AnEs256GrantForThisCall_IsValidAndTellsItsClaims()
    {
        var result = await VerifyAsync(EcGrant());

        result.IsValid.ShouldBeTrue(result.Detail);
        result.Claims!.AgentId.ShouldBe("agt_demo_support");
        result.Claims.Tool.ShouldBe("tickets.reply");
        result.Claims.Digest.ShouldBe(RequestDigest.Of(Call));
        result.Claims.ExpiresAt.ShouldBe(Now.AddMinutes(5));
    }

    [Fact]
    public async Task VerifyAsync_AnRs256GrantForThisCall_IsValid()
    {
        var grant = GrantMaker.Make(GrantMaker.Rsa(_rsa, "rsa-1"), SecurityAlgorithms.RsaSha256, Call, Now);

        var result = await VerifyAsync(grant);

        result.IsValid.ShouldBeTrue(result.Detail);
    }

    [Fact]
    public async Task VerifyAsync_ClaimsChangedAfterSigning_FailsTheSignature()
    {
        var parts = EcGrant().Split('.');
        var claims = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("helpdesk/tickets/1042", "helpdesk/tickets/9999", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(claims)}.{parts[2]}";

        var result = await VerifyAsync(tampered, Call with { Resource = "helpdesk/tickets/9999" });

        result.Failure.ShouldBe(GrantFailure.BadSignature);
    }

    [Fact]
    public async Task VerifyAsync_SignedByAnotherKeyUnderAKnownKid_FailsTheSignature()
    {
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = GrantMaker.Make(GrantMaker.Ec(forger, "ec-1"), SecurityAlgorithms.EcdsaSha256, Call, Now);

        var result = await VerifyAsync(forged);

        result.Failure.ShouldBe(GrantFailure.BadSignature);
    }

    [Fact]
    public async Task VerifyAsync_ForOtherParameters_IsForAnotherCall()
    {
        var grant = EcGrant();
        var other = WardenAsk.For("tickets.reply", "write", "helpdesk/tickets/1042", new { ticketId = "1042", body = "Closing all tickets." });

        var result = await VerifyAsync(grant, other);

        result.Failure.ShouldBe(GrantFailure.WrongCall);
    }

    [Fact]
    public async Task VerifyAsync_AWrongDigestClaim_IsForAnotherCall()
    {
        var result = await VerifyAsync(EcGrant(digest: new string('0', 64)));

        result.Failure.ShouldBe(GrantFailure.WrongCall);
    }

    [Fact]
    public async Task VerifyAsync_ForAnotherTool_IsForAnotherCall()
    {
        var result = await VerifyAsync(EcGrant(), Call with { Tool = "tickets.escalate" });

        result.Failure.ShouldBe(GrantFailure.WrongCall);
    }

    [Fact]
    public async Task VerifyAsync_ExpiredLongerAgoThanTheSkew_IsExpired()
    {
        var result = await VerifyAsync(EcGrant(expiresIn: TimeSpan.FromSeconds(-31)));

        result.Failure.ShouldBe(GrantFailure.Expired);
    }

    [Fact]
    public async Task VerifyAsync_ExpiredWithinTheSkew_IsStillValid()
    {
        var result = await VerifyAsync(EcGrant(expiresIn: TimeSpan.FromSeconds(-20)));

        result.IsValid.ShouldBeTrue(result.Detail);
    }

    [Fact]
    public async Task VerifyAsync_ASkewAboveThirtySeconds_IsCappedAtThirty()
    {
        using var verifier = GrantVerifier.Create(
            new GrantVerifierOptions { BaseAddress = new Uri("http://localhost:5080"), ClockSkew = TimeSpan.FromMinutes(10) }, new HttpClient(_keys), _clock);

        var result = await verifier.VerifyAsync(EcGrant(expiresIn: TimeSpan.FromSeconds(-45)), Call, TestContext.Current.CancellationToken);

        result.Failure.ShouldBe(GrantFailure.Expired);
    }

    [Fact]
    public async Task VerifyAsync_NotValidYet_IsRefused()
    {
        var result = await VerifyAsync(EcGrant(validFrom: TimeSpan.FromMinutes(2)));

        result.Failure.ShouldBe(GrantFailure.NotYetValid);
    }

    [Fact]
    public async Task VerifyAsync_AnUnknownKid_IsUnknownKey()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var grant = GrantMaker.Make(GrantMaker.Ec(other, "ec-unknown"), SecurityAlgorithms.EcdsaSha256, Call, Now);

        var result = await VerifyAsync(grant);

        result.Failure.ShouldBe(GrantFailure.UnknownKey);
    }

    [Fact]
    public async Task VerifyAsync_AnotherTokenType_IsRefused()
    {
        var result = await VerifyAsync(EcGrant(type: "JWT"));

        result.Failure.ShouldBe(GrantFailure.WrongType);
    }

    [Fact]
    public async Task VerifyAsync_AnUnsignedToken_IsRefused()
    {
        var parts = EcGrant().Split('.');
        var header = Base64UrlEncoder.Encode("""{"alg":"none","kid":"ec-1","typ":"warden-grant+jwt"}""");

        var result = await VerifyAsync($"{header}.{parts[1]}.{parts[2]}");

        result.Failure.ShouldBe(GrantFailure.WrongType);
    }

    [Fact]
    public async Task VerifyAsync_AnotherAudience_IsRefused()
    {
        var result = await VerifyAsync(EcGrant(audience: "warden-api"));

        result.Failure.ShouldBe(GrantFailure.WrongAudience);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9..sig")]
    public async Task VerifyAsync_Garbage_IsMalformed(string grant)
    {
        var result = await VerifyAsync(grant);

        result.Failure.ShouldBe(GrantFailure.Malformed);
    }

    [Fact]
    public async Task VerifyAsync_ManyGrants_ReadTheKeysOnce()
    {
        await VerifyAsync(EcGrant());
        await VerifyAsync(EcGrant());
        _clock.Advance(TimeSpan.FromMinutes(5));
        await VerifyAsync(EcGrant());

        _keys.Reads.ShouldBe(1);
    }

    [Fact]
    public async Task VerifyAsync_AGrantUnderANewKid_ReadsTheKeysAgainForTheRotation()
    {
        await VerifyAsync(EcGrant());
        using var next = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _keys.Jwks = Keys.Jwks(Keys.PublicJwk(_ec, "ec-1"), Keys.PublicJwk(next, "ec-2"));
        _clock.Advance(TimeSpan.FromSeconds(31));

        var result = await VerifyAsync(GrantMaker.Make(GrantMaker.Ec(next, "ec-2"), SecurityAlgorithms.EcdsaSha256, Call, _clock.GetUtcNow()));

        result.IsValid.ShouldBeTrue(result.Detail);
        _keys.Reads.ShouldBe(2);
    }

    [Fact]
    public void Verify_WithKeysGiven_NeedsNoNetwork()
    {
        var keys = GrantKeySet.Parse(Keys.Jwks(Keys.PublicJwk(_ec, "ec-1")));

        var result = _verifier.Verify(EcGrant(), Call, keys);

        result.IsValid.ShouldBeTrue(result.Detail);
        _keys.Reads.ShouldBe(0);
    }

    public void Dispose()
    {
        _verifier.Dispose();
        _ec.Dispose();
        _rsa.Dispose();
    }

    private sealed class KeysEndpoint(string jwks) : HttpMessageHandler
    {
        private int _reads;

        public string Jwks { get; set; } = jwks;

        public int Reads => _reads;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri!.AbsolutePath.ShouldBe("/api/v1/grants/keys");
            Interlocked.Increment(ref _reads);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Jwks, Encoding.UTF8, "application/json") });
        }
    }
}
