using System.Net;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Decisions;

[Collection(AppCollection.Name)]
public sealed class AgentCallLimitTests
{
    [Fact]
    public async Task AgentsMe_BeyondTheCallsPerMinute_Is429WithRetryAfterForThatAgentOnly()
    {
        await using var app = WardenAppFactory.With(new Dictionary<string, string?> { ["AgentApi:CallsPerMinute"] = "3" });
        var busy = await RegisterAsync(app);
        var quiet = await RegisterAsync(app);
        using var busyClient = Client(app, busy.Token);
        using var quietClient = Client(app, quiet.Token);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 4; i++)
        {
            var response = await busyClient.GetAsync(new Uri("/api/v1/agents/me", UriKind.Relative), TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
            limited = response;
        }
        using var other = await quietClient.GetAsync(new Uri("/api/v1/agents/me", UriKind.Relative), TestContext.Current.CancellationToken);

        statuses.Take(3).ShouldAllBe(s => s == HttpStatusCode.OK);
        statuses[3].ShouldBe(HttpStatusCode.TooManyRequests);
        limited!.Headers.RetryAfter.ShouldNotBeNull();
        (await JsonOf(limited)).GetProperty("type").GetString().ShouldBe("urn:warden:problem:rate-limited");
        other.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
