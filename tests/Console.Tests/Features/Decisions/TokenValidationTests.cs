using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Keys;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Decisions;

/// <summary>
/// Design §5 step 1: the bearer token's issuer, audience, lifetime (at most 30 s of skew) and signature
/// are checked. Each token here is minted by the test with the app's own signing key and a copy of the
/// header and claims of a token the app really issued, changed in one respect only.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class TokenValidationTests(TokenValidationTests.StoredKeysApp app) : IClassFixture<TokenValidationTests.StoredKeysApp>
{
    /// <summary>The app with its token keys generated into its key store, as by default.</summary>
    public sealed class StoredKeysApp() : WardenAppFactory(GeneratedTokenKeys);

    private static readonly TimeProvider Clock = TimeProvider.System;

    [Fact]
    public async Task Decide_SelfMintedTokenWithEverythingRight_IsAccepted()
    {
        var (agent, template) = await RegisteredAsync();
        using var key = SigningKey();

        using var response = await DecideWith(Mint(template, key));

        await ShouldBeADecision(response);
        agent.Id.ShouldBe(template.Payload["sub"]!.GetValue<string>());
    }

    [Fact]
    public async Task Decide_TokenExpired40SecondsAgo_BeyondTheSkew_Is401()
    {
        var (_, template) = await RegisteredAsync();
        using var key = SigningKey();

        using var response = await DecideWith(Mint(template, key, expiredFor: TimeSpan.FromSeconds(40)));

        ShouldBeRefused(response, "ID2019");
    }

    [Fact]
    public async Task Decide_TokenExpired10SecondsAgo_WithinTheSkew_IsAccepted()
    {
        var (_, template) = await RegisteredAsync();
        using var key = SigningKey();

        using var response = await DecideWith(Mint(template, key, expiredFor: TimeSpan.FromSeconds(10)));

        await ShouldBeADecision(response);
    }

    [Fact]
    public async Task Decide_TokenForAnotherAudience_Is401()
    {
        var (_, template) = await RegisteredAsync();
        using var key = SigningKey();

        using var response = await DecideWith(Mint(template, key, audience: "another-api"));

        ShouldBeRefused(response, "ID2094");
    }

    [Fact]
    public async Task Decide_TokenFromAnotherIssuer_Is401()
    {
        var (_, template) = await RegisteredAsync();
        using var key = SigningKey();

        using var response = await DecideWith(Mint(template, key, issuer: "https://issuer.elsewhere.example/"));

        ShouldBeRefused(response, "ID2088");
    }

    [Fact]
    public async Task Decide_TokenSignedWithAnotherRsaKey_Is401()
    {
        var (_, template) = await RegisteredAsync();
        using var other = RSA.Create(3072);

        using var response = await DecideWith(Mint(template, other));

        ShouldBeRefused(response, "ID2091");
    }

    private async Task<(TestAgent Agent, RealToken Template)> RegisteredAsync()
    {
        var agent = await RegisterAsync(app);
        var template = RealToken.Decode(agent.Token);
        TestContext.Current.TestOutputHelper?.WriteLine($"{template.Header.ToJsonString()}.{template.Payload.ToJsonString()}");
        // The copy only means something if the app signs (not encrypts) its access tokens with this key.
        template.Header["alg"]!.GetValue<string>().ShouldBe(SecurityAlgorithms.RsaSha256);
        template.Header["typ"].ShouldNotBeNull();
        template.Header["kid"].ShouldNotBeNull();
        template.Payload["exp"].ShouldNotBeNull();
        template.Payload["aud"].ShouldNotBeNull();
        template.Payload["iss"].ShouldNotBeNull();
        return (agent, template);
    }

    /// <summary>The private key of the stored token-signing key, loaded as the app loads it.</summary>
    private RSA SigningKey()
    {
        var pkcs12 = app.Services.GetRequiredService<KeyStore>().GetOrCreate(AgentIdentityKeys.SigningKeyName, AgentIdentityKeys.Purpose,
            () => throw new InvalidOperationException("The app has not stored its signing key."));
        using var certificate = X509CertificateLoader.LoadPkcs12(pkcs12, null, X509KeyStorageFlags.EphemeralKeySet);
        var key = certificate.GetRSAPrivateKey().ShouldNotBeNull();
        // Exported so the key outlives the certificate.
        var copy = RSA.Create();
        copy.ImportParameters(key.ExportParameters(includePrivateParameters: true));
        key.Dispose();
        return copy;
    }

    /// <summary>
    /// The real token's header and claims, with a fresh "jti" and times re-based on now: it expires
    /// <paramref name="expiredFor"/> ago, or keeps the real token's lifetime from now on.
    /// </summary>
    private static string Mint(RealToken template, RSA key, TimeSpan? expiredFor = null, string? audience = null, string? issuer = null)
    {
        var header = template.Header.DeepClone().AsObject();
        var payload = template.Payload.DeepClone().AsObject();
        var now = Clock.GetUtcNow().ToUnixTimeSeconds();
        var lifetime = template.Payload["exp"]!.GetValue<long>() - template.Payload["iat"]!.GetValue<long>();
        var exp = expiredFor is { } ago ? now - (long)ago.TotalSeconds : now + lifetime;
        var shift = exp - template.Payload["exp"]!.GetValue<long>();
        foreach (var time in new[] { "iat", "nbf", "exp" })
        {
            if (payload[time] is { } value)
                payload[time] = value.GetValue<long>() + shift;
        }
        payload["jti"] = Guid.NewGuid().ToString();
        if (audience is not null)
            payload["aud"] = audience;
        if (issuer is not null)
            payload["iss"] = issuer;

        var signed = $"{Base64Url(header.ToJsonString())}.{Base64Url(payload.ToJsonString())}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signed}.{Base64UrlEncoder.Encode(signature)}";
    }

    private async Task<HttpResponseMessage> DecideWith(string token)
    {
        using var client = Client(app, token);
        return await DecideAsync(client, Body());
    }

    private static async Task ShouldBeADecision(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBeOneOf([HttpStatusCode.OK, HttpStatusCode.TooManyRequests], body);
        JsonDocument.Parse(body).RootElement.GetProperty("outcome").GetString().ShouldNotBeNullOrEmpty();
    }

    /// <summary>401 from the token check itself, for the reason named by OpenIddict's error id.</summary>
    private static void ShouldBeRefused(HttpResponseMessage response, string openIddictError)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        challenge.ShouldContain("error=\"invalid_token\"");
        challenge.ShouldContain($"/errors/{openIddictError}\"");
    }

    private static string Base64Url(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    private sealed record RealToken(JsonObject Header, JsonObject Payload)
    {
        public static RealToken Decode(string token)
        {
            var parts = token.Split('.');
            parts.Length.ShouldBe(3, "an access token signed, not encrypted");
            return new RealToken(
                JsonNode.Parse(Base64UrlEncoder.Decode(parts[0]))!.AsObject(),
                JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject());
        }
    }
}
