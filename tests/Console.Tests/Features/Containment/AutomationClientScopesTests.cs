using System.Net;
using System.Net.Http.Json;
using Warden.Domain;
using Warden.Features.Containment;
using Warden.Infrastructure.AgentIdentity;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Containment;

/// <summary>Automation clients get only the scopes they were created with: containment, grants, or both.</summary>
[Collection(AppCollection.Name)]
public sealed class AutomationClientScopesTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    [Theory]
    [InlineData("")]
    [InlineData("admin")]
    [InlineData("grants decisions")]
    public async Task CreateAsync_WithoutAScopeOrWithAnUnknownOne_IsRefused(string requested)
    {
        var scopes = requested.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        var created = await app.AsUserAsync<AutomationClientService, Result<NewAutomationClient>>(DemoAccounts.Officer, s => s.CreateAsync("Tool", scopes));

        created.IsFailure.ShouldBeTrue();
        created.Error.Code.ShouldBe("automation.scopes");
    }

    [Fact]
    public async Task AToolClient_WithOnlyTheGrantsScope_CannotReadOrTripContainments()
    {
        var created = await app.AsUserAsync<AutomationClientService, Result<NewAutomationClient>>(
            DemoAccounts.Officer, s => s.CreateAsync("Payments tool", [AutomationClient.GrantsScope]));
        using var tool = Client(app, await TokenAsync(app, created.Value.Id, created.Value.Secret));

        using var list = await tool.GetAsync(new Uri("/api/v1/containment", UriKind.Relative), TestContext.Current.CancellationToken);
        using var trip = await tool.PostAsJsonAsync("/api/v1/containment", new { scope = "global", reason = "test" }, TestContext.Current.CancellationToken);
        var clients = await app.AsUserAsync<AutomationClientService, Result<IReadOnlyList<AutomationClientRow>>>(DemoAccounts.Officer, s => s.GetClientsAsync());

        list.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        trip.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        clients.Value.Single(c => c.Id == created.Value.Id).Scopes.ShouldBe("grants");
    }
}
