using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Warden.Domain;
using Warden.Domain.Containment;
using Warden.Features.Agents;
using Warden.Features.Containment;
using Warden.Features.Decisions.Grants;
using Warden.Infrastructure.AgentIdentity;
using Warden.Persistence;
using Warden.Tests.Infrastructure.AgentIdentity;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;
using static Warden.Tests.Features.Decisions.Grants.ToolClients;

namespace Warden.Tests.Features.Decisions.Grants;

/// <summary>Grants as tools see them: verified offline against the served key set, redeemed once online.</summary>
[Collection(AppCollection.Name)]
public sealed class GrantRedemptionTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private static readonly object Call = Body(resource: "crm/accounts/7");

    [Fact]
    public async Task Grant_OfAnAllow_VerifiesOfflineAgainstTheServedKeySet()
    {
        var (agent, answer) = await AllowedAsync();
        using var anonymous = Client(app, null);

        using var keys = await anonymous.GetAsync(new Uri("/api/v1/grants/keys", UriKind.Relative), TestContext.Current.CancellationToken);
        var keySet = new JsonWebKeySet(await keys.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(GrantOf(answer), new TokenValidationParameters
        {
            ValidIssuer = AgentClients.Issuer,
            ValidAudience = "warden-tools",
            ValidTypes = ["warden-grant+jwt"],
            IssuerSigningKeys = keySet.Keys,
            ValidAlgorithms = ["ES256"],
        });

        keys.StatusCode.ShouldBe(HttpStatusCode.OK);
        keys.Headers.CacheControl!.Public.ShouldBeTrue();
        result.IsValid.ShouldBeTrue(result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        token.Id.ShouldBe(answer.GetProperty("id").GetString());
        token.Subject.ShouldBe(agent.Id);
        token.GetClaim("tool").Value.ShouldBe("crm.read");
        token.GetClaim("operation").Value.ShouldBe("read");
        token.GetClaim("resource").Value.ShouldBe("crm/accounts/7");
        token.GetClaim("digest").Value.ShouldBe(DigestOf(Call));
        token.ValidTo.ShouldBe(answer.GetProperty("grant").GetProperty("expiresAt").GetDateTimeOffset().UtcDateTime, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Redeem_FirstTime_AnswersTheDecidedCallAndRecordsItOnTheDecisionWithAnAuditEvent()
    {
        var (agent, answer) = await AllowedAsync();
        using var tool = Client(app, await TokenAsync(app));

        using var response = await RedeemAsync(tool, GrantOf(answer), DigestOf(Call));
        var body = await JsonOf(response);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("decisionId").GetString().ShouldBe(answer.GetProperty("id").GetString());
        body.GetProperty("agentId").GetString().ShouldBe(agent.Id);
        body.GetProperty("tool").GetString().ShouldBe("crm.read");
        body.GetProperty("resource").GetString().ShouldBe("crm/accounts/7");
        var (redeemedAt, events) = await app.InScopeAsync(async sp =>
        {
            await using var db = sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
            var id = answer.GetProperty("id").GetString()!;
            var record = await db.Decisions.AsNoTracking().SingleAsync(d => d.Id == id);
            var kinds = await db.AuditEvents.AsNoTracking().Where(e => e.Kind == "grant.redeemed" && e.Subject == agent.Id).Select(e => e.Data).ToListAsync();
            return (record.GrantRedeemedAt, kinds);
        });
        redeemedAt.ShouldNotBeNull();
        events.ShouldHaveSingleItem().ShouldContain(answer.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task Redeem_ASecondTime_IsRefusedAsUsed()
    {
        var (_, answer) = await AllowedAsync();
        using var tool = Client(app, await TokenAsync(app));
        using var first = await RedeemAsync(tool, GrantOf(answer), DigestOf(Call));

        using var second = await RedeemAsync(tool, GrantOf(answer), DigestOf(Call));

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await ProblemTypeAsync(second)).ShouldBe("urn:warden:problem:grant-used");
    }

    [Fact]
    public async Task Redeem_ForAnotherCall_IsRefusedAsMismatch()
    {
        var (_, answer) = await AllowedAsync();
        using var tool = Client(app, await TokenAsync(app));

        using var response = await RedeemAsync(tool, GrantOf(answer), DigestOf(Body(resource: "crm/accounts/8")));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await ProblemTypeAsync(response)).ShouldBe("urn:warden:problem:grant-mismatch");
    }

    [Theory]
    [InlineData("claims changed, signature kept")]
    [InlineData("signature changed")]
    [InlineData("signed with another key under the same key id")]
    [InlineData("unsigned (alg none)")]
    [InlineData("not a token")]
    public async Task Redeem_AForgedOrTamperedGrant_IsRefusedAsInvalid(string forgery)
    {
        var (_, answer) = await AllowedAsync();
        using var tool = Client(app, await TokenAsync(app));

        using var response = await RedeemAsync(tool, Forge(GrantOf(answer), forgery), DigestOf(Call));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await ProblemTypeAsync(response)).ShouldBe("urn:warden:problem:grant-invalid");
    }

    [Fact]
    public async Task Redeem_AfterTheGrantExpired_IsRefusedAsExpired()
    {
        var (_, answer) = await AllowedAsync();
        using var tool = Client(app, await TokenAsync(app));
        // The same decision as if it had been made six minutes ago, and the grant it carried then.
        var grant = await app.InScopeAsync(async sp =>
        {
            await using var db = sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
            var id = answer.GetProperty("id").GetString()!;
            var record = await db.Decisions.SingleAsync(d => d.Id == id);
            record.DecidedAt -= TimeSpan.FromMinutes(6);
            record.ExpiresAt -= TimeSpan.FromMinutes(6);
            await db.SaveChangesAsync();
            return sp.GetRequiredService<GrantTokens>().Sign(GrantClaims.Of(record, AgentClients.Issuer));
        });

        using var response = await RedeemAsync(tool, grant, DigestOf(Call));

        response.StatusCode.ShouldBe(HttpStatusCode.Gone);
        (await ProblemTypeAsync(response)).ShouldBe("urn:warden:problem:grant-expired");
    }

    [Fact]
    public async Task Redeem_AfterTheAgentWasContained_IsRefusedAsRevoked()
    {
        var (agent, answer) = await AllowedAsync();
        using var tool = Client(app, await TokenAsync(app));
        var trip = await app.AsUserAsync<ContainmentService, Result<TripResult>>(DemoAccounts.Officer,
            s => s.TripAsync(ContainmentScope.Agent, agent.Id, "exfiltration suspected"));
        trip.IsSuccess.ShouldBeTrue(trip.Error.ToString());

        using var response = await RedeemAsync(tool, GrantOf(answer), DigestOf(Call));

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await ProblemTypeAsync(response)).ShouldBe("urn:warden:problem:grant-revoked");
    }

    [Fact]
    public async Task Redeem_AfterTheAgentWasSuspended_IsRefusedAsRevoked()
    {
        var (agent, answer) = await AllowedAsync();
        using var tool = Client(app, await TokenAsync(app));
        var suspended = await app.AsUserAsync<AgentRegistryService, Result>(DemoAccounts.Officer, s => s.SuspendAsync(agent.Id, "under review"));
        suspended.IsSuccess.ShouldBeTrue(suspended.Error.ToString());

        using var response = await RedeemAsync(tool, GrantOf(answer), DigestOf(Call));

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await ProblemTypeAsync(response)).ShouldBe("urn:warden:problem:grant-revoked");
    }

    [Fact]
    public async Task Redeem_ByAClientWithoutTheGrantsScope_IsRefusedAndLeavesTheGrantUnused()
    {
        var (_, answer) = await AllowedAsync();
        using var soar = Client(app, await TokenAsync(app, AutomationClient.ContainmentScope));
        using var tool = Client(app, await TokenAsync(app));

        using var refused = await RedeemAsync(soar, GrantOf(answer), DigestOf(Call));
        using var redeemed = await RedeemAsync(tool, GrantOf(answer), DigestOf(Call));

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await ProblemTypeAsync(refused)).ShouldBe("urn:warden:problem:insufficient-scope");
        redeemed.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Redeem_WithAnAgentsToken_IsRefused_AnAgentCannotRedeemItsOwnGrant()
    {
        var (agent, answer) = await AllowedAsync();
        using var client = Client(app, agent.Token);

        using var response = await RedeemAsync(client, GrantOf(answer), DigestOf(Call));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await ProblemTypeAsync(response)).ShouldBe("urn:warden:problem:insufficient-scope");
    }

    [Fact]
    public async Task Redeem_WithoutAToken_Is401()
    {
        var (_, answer) = await AllowedAsync();
        using var anonymous = Client(app, null);

        using var response = await RedeemAsync(anonymous, GrantOf(answer), DigestOf(Call));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Redeem_TheGrantOfAReplayedAnswer_Redeems_AndTheOriginalIsThenUsed()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        var key = Guid.NewGuid().ToString();
        var first = await JsonOf(await DecideAsync(client, Call, key));
        var replayed = await JsonOf(await DecideAsync(client, Call, key));
        using var tool = Client(app, await TokenAsync(app));

        using var redeemed = await RedeemAsync(tool, GrantOf(replayed), DigestOf(Call));
        using var again = await RedeemAsync(tool, GrantOf(first), DigestOf(Call));

        replayed.GetProperty("id").GetString().ShouldBe(first.GetProperty("id").GetString());
        redeemed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ProblemTypeAsync(again)).ShouldBe("urn:warden:problem:grant-used");
    }

    [Fact]
    public async Task ReportOutcome_AfterATool_RedeemedTheGrant_StillSucceedsOnce()
    {
        var (agent, answer) = await AllowedAsync();
        using var client = Client(app, agent.Token);
        using var tool = Client(app, await TokenAsync(app));
        using var redeemed = await RedeemAsync(tool, GrantOf(answer), DigestOf(Call));

        using var report = await ReportAsync(client, answer.GetProperty("id").GetString()!, GrantOf(answer));
        using var again = await ReportAsync(client, answer.GetProperty("id").GetString()!, GrantOf(answer));

        redeemed.StatusCode.ShouldBe(HttpStatusCode.OK);
        report.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ProblemTypeAsync(again)).ShouldBe("urn:warden:problem:grant-used");
    }

    [Fact]
    public async Task ReportOutcome_WithATamperedGrant_IsRefusedAsInvalid()
    {
        var (agent, answer) = await AllowedAsync();
        using var client = Client(app, agent.Token);

        using var report = await ReportAsync(client, answer.GetProperty("id").GetString()!, Forge(GrantOf(answer), "signature changed"));

        report.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await ProblemTypeAsync(report)).ShouldBe("urn:warden:problem:grant-invalid");
    }

    private async Task<(TestAgent Agent, JsonElement Answer)> AllowedAsync()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        var answer = await JsonOf(await DecideAsync(client, Call));
        answer.GetProperty("outcome").GetString().ShouldBe("allow");
        return (agent, answer);
    }

    private static string Forge(string grant, string forgery)
    {
        var parts = grant.Split('.');
        var header = JsonDocument.Parse(Base64UrlEncoder.Decode(parts[0])).RootElement;
        var payload = Base64UrlEncoder.Decode(parts[1]);
        switch (forgery)
        {
            case "claims changed, signature kept":
                return $"{parts[0]}.{Base64UrlEncoder.Encode(payload.Replace("crm/accounts/7", "crm/accounts/8", StringComparison.Ordinal))}.{parts[2]}";
            case "signature changed":
                var signature = Base64UrlEncoder.DecodeBytes(parts[2]);
                signature[5] ^= 0x01;
                return $"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}";
            case "signed with another key under the same key id":
                using (var other = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    var input = $"{parts[0]}.{parts[1]}";
                    return $"{input}.{Base64UrlEncoder.Encode(other.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256))}";
                }
            case "unsigned (alg none)":
                var none = Base64UrlEncoder.Encode($$"""{"alg":"none","kid":"{{header.GetProperty("kid").GetString()}}","typ":"warden-grant+jwt"}""");
                return $"{none}.{parts[1]}.";
            default:
                return "grt_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        }
    }
}
