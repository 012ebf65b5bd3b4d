using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Headers;
using Warden.Features.Metrics;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Metrics;

public sealed class ScrapeTokenApp() : WardenAppFactory(new Dictionary<string, string?>
{
    ["Metrics:ScrapeToken"] = ScrapeEndpointTests.Token,
});

[Collection(AppCollection.Name)]
public sealed class ScrapeEndpointTests(ScrapeTokenApp app) : IClassFixture<ScrapeTokenApp>
{
    public const string Token = "scrape-token-for-tests-0123456789abcdef";

    private async Task<HttpResponseMessage> ScrapeAsync(HttpClient client)
    {
        await app.Services.GetRequiredService<MetricsRefresher>().RefreshAsync(TestContext.Current.CancellationToken);
        return await client.GetAsync("/metrics", TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Scrape_ByAnAdministratorsCookie_ReturnsTheGovernanceGauges()
    {
        using var browser = await app.SignInAsync(DemoAccounts.Admin);

        using var response = await ScrapeAsync(browser);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        body.ShouldContain("warden_containment_trips");
        body.ShouldContain("warden_anomalies");
    }

    [Fact]
    public async Task Scrape_WithTheConfiguredToken_IsAllowed()
    {
        using var client = app.CreateBrowser();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        using var response = await ScrapeAsync(client);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Scrape_WithAWrongToken_IsRefused()
    {
        using var client = app.CreateBrowser();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token + "x");

        using var response = await ScrapeAsync(client);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Scrape_Anonymous_IsSentToTheLoginPage()
    {
        using var client = app.CreateBrowser();

        using var response = await ScrapeAsync(client);

        AccessOutcome.Classify(response).ShouldBe(AccessOutcome.Login);
    }

    [Fact]
    public async Task Scrape_ByASecurityOfficer_IsRefused()
    {
        using var browser = await app.SignInAsync(DemoAccounts.Officer);

        using var response = await ScrapeAsync(browser);

        AccessOutcome.Classify(response).ShouldBe(AccessOutcome.Deny);
    }
}
