using System.Security.Cryptography;
using Warden.Client.Tests.Support;

namespace Warden.Client.Tests.Tokens;

/// <summary>Client credentials against the real token endpoint: a secret, a signed assertion, a wrong secret.</summary>
public sealed class TokenAcquisitionTests(WardenHost host)
{
    [Fact]
    public async Task GetAccessTokenAsync_WithTheDemoSecret_GetsATokenAndKeepsItWhileItIsFresh()
    {
        using var client = host.ClientFor();

        var first = await client.GetAccessTokenAsync(TestContext.Current.CancellationToken);
        var second = await client.GetAccessTokenAsync(TestContext.Current.CancellationToken);
        var me = await client.GetAgentAsync(TestContext.Current.CancellationToken);

        first.ShouldNotBeNullOrEmpty();
        second.ShouldBe(first);
        me.Id.ShouldBe(WardenHost.Support);
        me.Contained.ShouldBeFalse();
        me.Tools.Select(t => t.Name).ShouldContain("tickets.reply");
    }

    [Fact]
    public async Task GetAgentAsync_WithAnRsaPrivateKey_AuthenticatesWithPrivateKeyJwt()
    {
        var agent = await host.RegisterAsync();
        using var rsa = RSA.Create(2048);
        await host.AddPublicKeyAsync(agent, Keys.PublicJwk(rsa, "rsa-1"));
        using var client = WardenClient.Create(host.Options(agent, o => o.PrivateKey = WardenSigningKey.FromRsa(rsa, "rsa-1")));

        var me = await client.GetAgentAsync(TestContext.Current.CancellationToken);

        me.Id.ShouldBe(agent);
    }

    [Fact]
    public async Task GetAgentAsync_WithAnEcPrivateKeyInPem_AuthenticatesWithPrivateKeyJwtEachTimeWithAFreshAssertion()
    {
        var agent = await host.RegisterAsync();
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await host.AddPublicKeyAsync(agent, Keys.PublicJwk(ec, "ec-1"));
        var key = WardenSigningKey.FromPem(ec.ExportPkcs8PrivateKeyPem(), "ec-1");
        using var first = WardenClient.Create(host.Options(agent, o => o.PrivateKey = key));
        using var second = WardenClient.Create(host.Options(agent, o => o.PrivateKey = key));

        var one = await first.GetAgentAsync(TestContext.Current.CancellationToken);
        var other = await second.GetAgentAsync(TestContext.Current.CancellationToken);

        one.Id.ShouldBe(agent);
        other.Id.ShouldBe(agent);
    }

    [Fact]
    public async Task GetAgentAsync_WithAKeyTheAgentDoesNotHave_ThrowsAuthenticationException()
    {
        var agent = await host.RegisterAsync();
        using var registered = RSA.Create(2048);
        using var other = RSA.Create(2048);
        await host.AddPublicKeyAsync(agent, Keys.PublicJwk(registered, "rsa-1"));
        using var client = WardenClient.Create(host.Options(agent, o => o.PrivateKey = WardenSigningKey.FromRsa(other, "rsa-1")));

        var refused = await Should.ThrowAsync<WardenAuthenticationException>(() => client.GetAgentAsync(TestContext.Current.CancellationToken));

        refused.Error.ShouldBe("invalid_client");
    }

    [Fact]
    public async Task AskAsync_WithAWrongSecret_ThrowsAuthenticationExceptionNamingTheClient()
    {
        using var client = host.ClientFor(secret: "not-the-secret");

        var refused = await Should.ThrowAsync<WardenAuthenticationException>(() =>
            client.AskAsync(WardenAsk.For("tickets.read", "read", "helpdesk/tickets/1"), cancellationToken: TestContext.Current.CancellationToken));

        refused.ClientId.ShouldBe(WardenHost.Support);
        refused.Error.ShouldBe("invalid_client");
        refused.Message.ShouldContain("secret");
    }
}
