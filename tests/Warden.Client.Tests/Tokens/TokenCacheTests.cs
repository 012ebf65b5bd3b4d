using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Warden.Client.Tests.Tokens;

/// <summary>Token caching and the client assertion's shape, against a token endpoint the test plays.</summary>
public sealed class TokenCacheTests
{
    private static readonly Uri Base = new("http://warden.test:5080");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    private readonly TokenEndpoint _endpoint = new();

    private WardenClient Client(Action<WardenClientOptions> credentials)
    {
        var options = new WardenClientOptions { BaseAddress = Base, ClientId = "agt_cache", MaxRetries = 0 };
        credentials(options);
        return WardenClient.Create(options, new HttpClient(_endpoint), _clock);
    }

    [Fact]
    public async Task GetAccessTokenAsync_BeforeTheRefreshMargin_ReusesTheTokenAndAfterItGetsANewOne()
    {
        using var client = Client(o => o.ClientSecret = "s3cret");

        var first = await client.GetAccessTokenAsync(TestContext.Current.CancellationToken);
        _clock.Advance(TimeSpan.FromSeconds(239));
        var cached = await client.GetAccessTokenAsync(TestContext.Current.CancellationToken);
        _clock.Advance(TimeSpan.FromSeconds(2));
        var renewed = await client.GetAccessTokenAsync(TestContext.Current.CancellationToken);

        cached.ShouldBe(first);
        renewed.ShouldNotBe(first);
        _endpoint.Forms.Count.ShouldBe(2);
        _endpoint.Forms[0]["client_secret"].ShouldBe("s3cret");
        _endpoint.Forms[0]["grant_type"].ShouldBe("client_credentials");
    }

    [Fact]
    public async Task GetAccessTokenAsync_ManyCallersAtOnce_FetchOneToken()
    {
        using var client = Client(o => o.ClientSecret = "s3cret");

        var tokens = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.GetAccessTokenAsync(TestContext.Current.CancellationToken)));

        tokens.Distinct().ShouldHaveSingleItem();
        _endpoint.Forms.Count.ShouldBe(1);
    }

    [Fact]
    public async Task GetAccessTokenAsync_WithAPrivateKey_SendsAnAssertionTheIssuerAcceptsWithAFreshJtiEachTime()
    {
        using var rsa = RSA.Create(2048);
        using var client = Client(o => o.PrivateKey = WardenSigningKey.FromRsa(rsa, "k1"));

        await client.GetAccessTokenAsync(TestContext.Current.CancellationToken);
        _clock.Advance(TimeSpan.FromMinutes(5));
        await client.GetAccessTokenAsync(TestContext.Current.CancellationToken);

        var assertions = _endpoint.Forms.Select(f => f["client_assertion"]).ToList();
        _endpoint.Forms[0]["client_assertion_type"].ShouldBe("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        _endpoint.Forms[0].ShouldNotContainKey("client_secret");
        var validated = await new JsonWebTokenHandler().ValidateTokenAsync(assertions[0], new TokenValidationParameters
        {
            ValidIssuer = "agt_cache",
            ValidAudience = "http://warden.test:5080/",
            ValidTypes = ["client-authentication+jwt"],
            IssuerSigningKey = new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "k1" },
            LifetimeValidator = (_, _, _, _) => true,
        });
        validated.IsValid.ShouldBeTrue(validated.Exception?.Message);
        var jtis = assertions.Select(a => new JsonWebToken(a).Id).ToList();
        jtis.Distinct().Count().ShouldBe(2);
        new JsonWebToken(assertions[0]).Subject.ShouldBe("agt_cache");
    }

    [Fact]
    public async Task GetAccessTokenAsync_RefusedClient_ThrowsAuthenticationExceptionWithTheOAuthError()
    {
        _endpoint.Refuse = true;
        using var client = Client(o => o.ClientSecret = "wrong");

        var refused = await Should.ThrowAsync<WardenAuthenticationException>(() => client.GetAccessTokenAsync(TestContext.Current.CancellationToken));

        refused.Error.ShouldBe("invalid_client");
        refused.ErrorDescription.ShouldBe("The specified client credentials are invalid.");
        refused.HttpStatus.ShouldBe(400);
    }

    [Fact]
    public void Create_WithASecretAndAKey_IsRefused()
    {
        using var rsa = RSA.Create(2048);

        Should.Throw<InvalidOperationException>(() => Client(o =>
        {
            o.ClientSecret = "s3cret";
            o.PrivateKey = WardenSigningKey.FromRsa(rsa, "k1");
        }));
    }

    private sealed class TokenEndpoint : HttpMessageHandler
    {
        private int _issued;

        public List<Dictionary<string, string>> Forms { get; } = [];

        public bool Refuse { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri!.AbsolutePath.ShouldBe("/connect/token");
            var form = (await request.Content!.ReadAsStringAsync(cancellationToken)).Split('&')
                .Select(p => p.Split('=', 2))
                .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p[1]));
            lock (Forms)
                Forms.Add(form);
            await Task.Delay(20, cancellationToken);
            var body = Refuse
                ? JsonSerializer.Serialize(new { error = "invalid_client", error_description = "The specified client credentials are invalid." })
                : JsonSerializer.Serialize(new { access_token = $"token-{Interlocked.Increment(ref _issued)}", token_type = "Bearer", expires_in = 300 });
            return new HttpResponseMessage(Refuse ? HttpStatusCode.BadRequest : HttpStatusCode.OK)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
        }
    }
}
