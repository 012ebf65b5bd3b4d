using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Warden.ContainmentBench;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Features.Agents;
using Warden.Features.Containment;
using Warden.Features.Credentials;
using Warden.Features.Decisions;
using Warden.Infrastructure.AgentIdentity;

namespace Warden.GrantBench;

/// <summary>
/// Redemption over real HTTP against the app on a Kestrel port of this process: one agent asks for
/// allowed decisions (timed too, since each allow now signs its grant), then a tool client redeems
/// each grant once, one call at a time.
/// </summary>
internal static class Redemption
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<IReadOnlyList<string>> RunAsync(int redemptions)
    {
        await using var host = new BenchHost();
        host.StartServer();
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        const string owner = "owner@warden.example";
        const string officer = "officer@warden.example";

        var agentId = (await host.AsUserAsync<AgentRegistryService, Result<string>>(owner, s => s.RegisterAsync(new AgentDraft
        {
            Name = "Grant bench agent",
            Purpose = "Asks for allowed reads whose grants a tool redeems.",
            Segment = "bench",
            Tools = [new ToolDraft("crm.read", [OperationKind.Read], RiskTier.Low, null)],
            Scopes = ["crm/accounts/*"],
            RateLimitPerMinute = 100_000,
        }))).Value;
        var secret = (await host.AsUserAsync<CredentialService, Result<string>>(owner, s => s.IssueSecretAsync(agentId))).Value;
        var tool = (await host.AsUserAsync<AutomationClientService, Result<NewAutomationClient>>(officer,
            s => s.CreateAsync("Grant bench tool", [AutomationClient.GrantsScope]))).Value;
        var agentToken = await TokenAsync(http, agentId, secret);
        var toolToken = await TokenAsync(http, tool.Id, tool.Secret);

        var calls = new List<(string Grant, string Digest)>();
        var decisions = await Timings.MeasureAsync("decision (allow, grant signed), HTTP", redemptions, async i =>
        {
            var body = new { tool = "crm.read", operation = "read", resource = $"crm/accounts/{i + 1000}", parameters = new { }, impact = new { records = 1 } };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/decisions") { Content = JsonContent.Create(body, options: Json) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agentToken);
            using var response = await http.SendAsync(request);
            var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (i >= 0)
                calls.Add((answer.GetProperty("grant").GetProperty("token").GetString()!,
                    RequestDigest.Of(JsonSerializer.Deserialize<DecisionRequestBody>(JsonSerializer.Serialize(body, Json), Json)!)));
        });

        var next = 0;
        var warmUp = calls.Count / 10;
        var redeemed = await Timings.MeasureAsync("redemption (first), HTTP", calls.Count - warmUp, async _ =>
        {
            var (grant, digest) = calls[next++];
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/grants/redeem")
            {
                Content = new StringContent(JsonSerializer.Serialize(new { grant, digest }), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", toolToken);
            using var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"Redemption refused: {await response.Content.ReadAsStringAsync()}");
        });
        return [Timings.Header, decisions, redeemed];
    }

    private static async Task<string> TokenAsync(HttpClient http, string clientId, string secret)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        });
        using var response = await http.PostAsync(new Uri("/connect/token", UriKind.Relative), form);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("access_token").GetString() ?? throw new InvalidOperationException("No token.");
    }
}
