using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Features.Agents;
using Warden.Features.Credentials;
using Warden.Infrastructure.AgentIdentity;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.AgentIdentity;

[Collection(AppCollection.Name)]
public sealed class TokenEndpointTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    [Fact]
    public async Task ClientCredentials_WithTheIssuedSecret_GiveAFiveMinuteJwtForTheAgent()
    {
        var agentId = await app.RegisterAgentAsync();
        var secret = await app.IssueSecretAsync(agentId);

        var answer = await app.RequestTokenAsync(agentId, secret);

        answer.Status.ShouldBe(HttpStatusCode.OK, answer.Body);
        var jwt = AgentClients.Read(answer.AccessToken!);
        jwt.Subject.ShouldBe(agentId);
        jwt.Audiences.ShouldContain(AgentApi.Audience);
        (jwt.ValidTo - jwt.IssuedAt).ShouldBe(TimeSpan.FromMinutes(5));
        var principal = await app.ValidateAsync(answer.AccessToken!);
        principal.ShouldNotBeNull();
        app.Services.GetRequiredService<AgentTokenGate>().Check(principal).ShouldBe(AgentTokenCheck.Allowed(agentId));
    }

    [Fact]
    public async Task ClientCredentials_WithAWrongSecret_Are401InvalidClient()
    {
        var agentId = await app.RegisterAgentAsync();
        await app.IssueSecretAsync(agentId);

        var answer = await app.RequestTokenAsync(agentId, "not-the-secret");

        answer.Status.ShouldBe(HttpStatusCode.Unauthorized, answer.Body);
        answer.Error.ShouldBe("invalid_client");
    }

    [Fact]
    public async Task TokenEndpoint_WithoutCredentials_IsABadRequest()
    {
        var answer = await app.PostTokenAsync(new Dictionary<string, string> { ["grant_type"] = "client_credentials" });

        answer.Status.ShouldBe(HttpStatusCode.BadRequest, answer.Body);
        answer.AccessToken.ShouldBeNull();
    }

    [Theory]
    [InlineData("suspend")]
    [InlineData("retire")]
    public async Task AnAgentThatLeftActive_GetsNoTokenAndItsEarlierTokenIsRefusedByTheGate(string change)
    {
        var agentId = await app.RegisterAgentAsync();
        var secret = await app.IssueSecretAsync(agentId);
        var earlier = await app.RequestTokenAsync(agentId, secret);

        var changed = await app.AsUserAsync<AgentRegistryService, Result>(DemoAccounts.Owner, s =>
            change == "suspend" ? s.SuspendAsync(agentId, "investigating") : s.RetireAsync(agentId, "replaced"));

        changed.IsSuccess.ShouldBeTrue(changed.Error.ToString());
        var again = await app.RequestTokenAsync(agentId, secret);
        again.Error.ShouldBe("invalid_client", again.Body);
        again.AccessToken.ShouldBeNull();
        var principal = await app.ValidateAsync(earlier.AccessToken!);
        principal.ShouldNotBeNull("the token itself is still unexpired and well signed");
        var check = app.Services.GetRequiredService<AgentTokenGate>().Check(principal);
        check.IsAllowed.ShouldBeFalse();
        check.Refusal.ShouldBe(AgentTokenRefusal.AgentNotActive);
    }

    [Fact]
    public async Task RevokeAsync_StopsTheSecretAndRefusesTokensAlreadyIssued()
    {
        var agentId = await app.RegisterAgentAsync();
        var secret = await app.IssueSecretAsync(agentId);
        var earlier = await app.RequestTokenAsync(agentId, secret);

        var revoked = await app.AsUserAsync<CredentialService, Result>(DemoAccounts.Owner, s => s.RevokeAsync(agentId));

        revoked.IsSuccess.ShouldBeTrue(revoked.Error.ToString());
        (await app.RequestTokenAsync(agentId, secret)).Error.ShouldBe("invalid_client");
        var principal = await app.ValidateAsync(earlier.AccessToken!);
        app.Services.GetRequiredService<AgentTokenGate>().Check(principal!).Refusal.ShouldBe(AgentTokenRefusal.TokenInvalidated);
    }

    [Fact]
    public async Task RotateSecretAsync_WithoutOverlap_StopsTheOldSecretAtOnce()
    {
        var agentId = await app.RegisterAgentAsync();
        var old = await app.IssueSecretAsync(agentId);

        var rotated = await app.AsUserAsync<CredentialService, Result<string>>(DemoAccounts.Owner, s => s.RotateSecretAsync(agentId, TimeSpan.Zero));

        rotated.IsSuccess.ShouldBeTrue(rotated.Error.ToString());
        (await app.RequestTokenAsync(agentId, old)).Error.ShouldBe("invalid_client");
        (await app.RequestTokenAsync(agentId, rotated.Value)).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RotateSecretAsync_WithOverlap_KeepsBothSecretsWorking()
    {
        var agentId = await app.RegisterAgentAsync();
        var old = await app.IssueSecretAsync(agentId);

        var rotated = await app.AsUserAsync<CredentialService, Result<string>>(DemoAccounts.Owner, s => s.RotateSecretAsync(agentId, TimeSpan.FromHours(1)));

        (await app.RequestTokenAsync(agentId, old)).Status.ShouldBe(HttpStatusCode.OK);
        (await app.RequestTokenAsync(agentId, rotated.Value)).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task PrivateKeyJwt_WithARegisteredKey_GivesATokenAndARepeatedJtiIsRefused()
    {
        var agentId = await app.RegisterAgentAsync();
        using var rsa = RSA.Create(2048);
        var added = await app.AsUserAsync<CredentialService, Result>(DemoAccounts.Owner, s => s.AddPublicKeyAsync(agentId, AgentClients.PublicJwk(rsa, "key-1")));
        added.IsSuccess.ShouldBeTrue(added.Error.ToString());
        var assertion = AgentClients.Assertion(rsa, "key-1", agentId);

        var first = await app.RequestTokenWithAssertionAsync(agentId, assertion);
        var replay = await app.RequestTokenWithAssertionAsync(agentId, assertion);

        first.Status.ShouldBe(HttpStatusCode.OK, first.Body);
        AgentClients.Read(first.AccessToken!).Subject.ShouldBe(agentId);
        replay.Error.ShouldBe("invalid_client", replay.Body);
        replay.AccessToken.ShouldBeNull();
    }

    [Fact]
    public async Task SetTokenLifetimeAsync_MakesTheNextTokensLiveThatLong()
    {
        var agentId = await app.RegisterAgentAsync();
        var secret = await app.IssueSecretAsync(agentId);

        // An officer who does not own the agent: a longer lifetime from its owner waits for review (AgentReviewTests).
        var set = await app.AsUserAsync<CredentialService, Result>(DemoAccounts.Officer, s => s.SetTokenLifetimeAsync(agentId, 15));
        var answer = await app.RequestTokenAsync(agentId, secret);

        set.IsSuccess.ShouldBeTrue(set.Error.ToString());
        var jwt = AgentClients.Read(answer.AccessToken!);
        (jwt.ValidTo - jwt.IssuedAt).ShouldBe(TimeSpan.FromMinutes(15));
    }

    [Fact]
    public async Task GetCredentialsAsync_ShowsTheTokenLogAndLastUseButNeverTheSecret()
    {
        var agentId = await app.RegisterAgentAsync();
        var secret = await app.IssueSecretAsync(agentId);
        await app.RequestTokenAsync(agentId, secret);

        var details = await app.AsUserAsync<CredentialService, Result<CredentialDetails>>(DemoAccounts.Auditor, s => s.GetCredentialsAsync(agentId));

        details.IsSuccess.ShouldBeTrue(details.Error.ToString());
        details.Value.HasSecret.ShouldBeTrue();
        details.Value.LastUsedAt.ShouldNotBeNull();
        details.Value.CanManage.ShouldBeFalse();
        var issued = details.Value.RecentTokens.ShouldHaveSingleItem();
        issued.ClientAuthenticationMethod.ShouldBe("client_secret_post");
        details.Value.ToString().ShouldNotContain(secret);
    }
}
