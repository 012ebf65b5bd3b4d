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
/// online as an automation client with scope <c>grants</c>.
/// </summary>
public sealed class GrantRedemptionLiveTests(WardenHost host)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RedeemAsync_AGrantVerifiedOffline_IsRedeemedOnceAndRefusedAfter()
    {
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

    /// <summary>A new automation client given the <c>grants</c> scope, as a tool would be set up.</summary>
    private async Task<GrantVerifierOptions> ToolClientOptionsAsync()
    {
        var created = await host.AsAsync<AutomationClientService, Result<NewAutomationClient>>(People.Officer, s => s.CreateAsync("client tests tool", ["grants"]));
        created.IsSuccess.ShouldBeTrue(created.Error.ToString());
        return new GrantVerifierOptions { BaseAddress = host.BaseAddress, ClientId = created.Value.Id, ClientSecret = created.Value.Secret };
    }
}
