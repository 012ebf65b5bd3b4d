using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Client.Tests.Support;
using Warden.Domain;
using Warden.Features.Containment;
using Warden.Persistence;

namespace Warden.Client.Tests.Grants;

/// <summary>
/// Grants end to end: the agent asks, the tool verifies offline with the console's keys and redeems
/// online as an automation client with scope <c>grants</c>. Skipped, saying why, while the console
/// does not serve its grant keys yet.
/// </summary>
public sealed class GrantRedemptionLiveTests(WardenHost host)
{
    private const string WaitsForTheConsole =
        "Waits for signed grants in the console (GET /api/v1/grants/keys and POST /api/v1/grants/redeem); runs once the console serves them.";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RedeemAsync_AGrantVerifiedOffline_IsRedeemedOnceAndRefusedAfter()
    {
        await SkipUnlessTheConsoleServesGrantKeysAsync();
        using var agent = host.ClientFor();
        using var verifier = GrantVerifier.Create(await ToolClientOptionsAsync());
        var call = WardenAsk.For("tickets.read", "read", $"helpdesk/tickets/{Random.Shared.Next(100_000, 999_999)}");
        var decision = await agent.AskAsync(call, cancellationToken: Cancel);

        var offline = await verifier.VerifyAsync(decision.Grant!.Token, call, Cancel);
        var redeemed = await verifier.RedeemAsync(decision.Grant.Token, call, Cancel);
        var again = await Should.ThrowAsync<WardenGrantRefusedException>(() => verifier.RedeemAsync(decision.Grant.Token, call, Cancel));

        offline.IsValid.ShouldBeTrue(offline.Detail);
        offline.Claims!.DecisionId.ShouldBe(decision.Id);
        redeemed.DecisionId.ShouldBe(decision.Id);
        redeemed.AgentId.ShouldBe(WardenHost.Support);
        again.Refusal.ShouldBe(WardenGrantRefusal.Used);
    }

    [Fact]
    public async Task RedeemAsync_ForAnotherCall_IsRefusedAsAMismatch()
    {
        await SkipUnlessTheConsoleServesGrantKeysAsync();
        using var agent = host.ClientFor();
        using var verifier = GrantVerifier.Create(await ToolClientOptionsAsync());
        var call = WardenAsk.For("tickets.read", "read", $"helpdesk/tickets/{Random.Shared.Next(100_000, 999_999)}");
        var decision = await agent.AskAsync(call, cancellationToken: Cancel);
        var other = call with { Resource = "helpdesk/tickets/1" };

        var offline = await verifier.VerifyAsync(decision.Grant!.Token, other, Cancel);
        var refused = await Should.ThrowAsync<WardenGrantRefusedException>(() => verifier.RedeemAsync(decision.Grant.Token, other, Cancel));

        offline.Failure.ShouldBe(GrantFailure.WrongCall);
        refused.Refusal.ShouldBe(WardenGrantRefusal.Mismatch);
    }

    private async Task SkipUnlessTheConsoleServesGrantKeysAsync()
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var keys = await http.GetAsync(new Uri(GrantVerifier.KeysPath, UriKind.Relative), Cancel);
        var json = keys.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true;
        if (keys.StatusCode != HttpStatusCode.OK || !json)
            Assert.Skip(WaitsForTheConsole);
    }

    /// <summary>A new automation client given the <c>grants</c> scope, as a tool would be set up.</summary>
    private async Task<GrantVerifierOptions> ToolClientOptionsAsync()
    {
        var created = await host.AsAsync<AutomationClientService, Result<NewAutomationClient>>(People.Officer, s => s.CreateAsync("client tests tool"));
        created.IsSuccess.ShouldBeTrue(created.Error.ToString());
        var factory = host.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>();
        await using (var db = await factory.CreateDbContextAsync(Cancel))
        {
            var client = await db.AutomationClients.SingleAsync(c => c.Id == created.Value.Id, Cancel);
            client.Scopes = "grants";
            await db.SaveChangesAsync(Cancel);
        }
        return new GrantVerifierOptions { BaseAddress = host.BaseAddress, ClientId = created.Value.Id, ClientSecret = created.Value.Secret };
    }
}
