using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Warden.Tests.Features.Decisions;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.Hosting;

/// <summary>
/// Issue 17, point 6, in one process: the SQLite data folder goes away under a running app. Every
/// API call that needs the database answers a 503 problem (never a 500 or an HTML page), readiness
/// fails, and the same calls succeed again once the folder is back, without a restart.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class DatabaseFaultsTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private const string Agent = "agt_demo_support";
    private const string Secret = "Warden-Demo-Agent-1";

    [Fact]
    public async Task ApiCalls_WhileTheDatabaseCannotBeOpened_Are503ProblemsAndWorkAgainOnceItIsBack()
    {
        var token = await AgentApiClient.TokenAsync(app, Agent, Secret);
        using var client = AgentApiClient.Client(app, token);
        var allowed = await DecideAsync(client);
        var (id, grant) = (allowed.GetProperty("id").GetString()!, allowed.GetProperty("grant").GetProperty("token").GetString()!);
        var away = app.DataDirectory + ".away";

        SqliteConnection.ClearAllPools();
        Directory.Move(app.DataDirectory, away);
        try
        {
            using var outcome = await ReportAsync(client, id, grant);
            using var status = await client.GetAsync(new Uri($"/api/v1/decisions/{id}", UriKind.Relative), TestContext.Current.CancellationToken);
            using var tokenRequest = await RequestTokenAsync(client);
            using var decision = await client.PostAsJsonAsync(new Uri("/api/v1/decisions", UriKind.Relative),
                AgentApiClient.Body("tickets.read", "read", "helpdesk/tickets/2"), TestContext.Current.CancellationToken);
            using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative), TestContext.Current.CancellationToken);

            await ShouldBeProblemAsync(outcome, "database-unavailable");
            await ShouldBeProblemAsync(status, "database-unavailable");
            await ShouldBeProblemAsync(tokenRequest, "database-unavailable");
            await ShouldBeProblemAsync(decision, "decision-unavailable", "database-unavailable");
            ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Move(away, app.DataDirectory);
        }

        using var late = await ReportAsync(client, id, grant);
        late.StatusCode.ShouldBe(HttpStatusCode.OK, await late.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        (await DecideAsync(client)).GetProperty("outcome").GetString().ShouldBe("allow");
    }

    private static async Task<JsonElement> DecideAsync(HttpClient client)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/decisions", UriKind.Relative))
        {
            Content = JsonContent.Create(AgentApiClient.Body("tickets.read", "read", "helpdesk/tickets/1")),
        };
        message.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await client.SendAsync(message, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static Task<HttpResponseMessage> ReportAsync(HttpClient client, string id, string grant) =>
        client.PostAsJsonAsync(new Uri($"/api/v1/decisions/{id}/outcome", UriKind.Relative),
            new { grant, status = "succeeded", records = 1 }, TestContext.Current.CancellationToken);

    private static Task<HttpResponseMessage> RequestTokenAsync(HttpClient client) =>
        client.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = Agent,
            ["client_secret"] = Secret,
        }), TestContext.Current.CancellationToken);

    private static async Task ShouldBeProblemAsync(HttpResponseMessage response, params string[] types)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var what = $"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode} {response.Content.Headers.ContentType}: {body}";
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, what);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", what);
        var type = JsonDocument.Parse(body).RootElement.GetProperty("type").GetString();
        type.ShouldBeOneOf(types.Select(t => "urn:warden:problem:" + t).ToArray(), what);
        if (type == "urn:warden:problem:database-unavailable")
            response.Headers.RetryAfter.ShouldNotBeNull(what);
    }
}
