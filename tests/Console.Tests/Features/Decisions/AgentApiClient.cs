using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Features.Agents;
using Warden.Features.Credentials;
using Warden.Tests.Features.Agents;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Decisions;

/// <summary>An agent as the API sees it: registered through the directory, a real secret, a real token.</summary>
internal sealed record TestAgent(string Id, string Secret, string Token);

internal static class AgentApiClient
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static AgentDraft Draft(int rateLimit = 100) => AgentDraftBuilder.Valid() with
    {
        Segment = "sales",
        Tools =
        [
            new ToolDraft("crm.read", [OperationKind.Read], RiskTier.Low, null),
            new ToolDraft("crm.update", [OperationKind.Write], RiskTier.Medium,
                """{ "type": "object", "required": ["accountId"], "properties": { "accountId": { "type": "string", "minLength": 1, "maxLength": 12 } } }"""),
            new ToolDraft("payments.send", [OperationKind.Execute], RiskTier.Critical, null),
        ],
        Scopes = ["crm/accounts/*", "payments/**"],
        RateLimitPerMinute = rateLimit,
        MaxAmountPerAction = 5000m,
        DailyAmountBudget = 20000m,
        Currency = "EUR",
    };

    public static async Task<TestAgent> RegisterAsync(WardenAppFactory app, AgentDraft? draft = null)
    {
        var registered = await app.AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner, s => s.RegisterAsync(draft ?? Draft()));
        registered.IsSuccess.ShouldBeTrue(registered.Error.ToString());
        var secret = await app.AsUserAsync<CredentialService, Result<string>>(DemoAccounts.Owner, s => s.IssueSecretAsync(registered.Value));
        secret.IsSuccess.ShouldBeTrue(secret.Error.ToString());
        var token = await TokenAsync(app, registered.Value, secret.Value);
        return new TestAgent(registered.Value, secret.Value, token);
    }

    public static async Task<string> TokenAsync(WardenAppFactory app, string clientId, string secret)
    {
        using var client = app.CreateClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        });
        using var response = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), form);
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    public static HttpClient Client(WardenAppFactory app, string? token)
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static object Body(string tool = "crm.read", string operation = "read", string resource = "crm/accounts/42",
        object? parameters = null, decimal? amount = null) => new
    {
        tool,
        operation,
        resource,
        parameters = parameters ?? new { },
        impact = new { records = 1, amount, currency = amount is null ? null : "EUR" },
        justification = "customer asked for their balance",
    };

    public static async Task<HttpResponseMessage> DecideAsync(HttpClient client, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/decisions")
        {
            Content = new StringContent(JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json"),
        };
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    public static Task<HttpResponseMessage> ReportAsync(HttpClient client, string decisionId, string? grant, string status = "succeeded") =>
        client.PostAsJsonAsync($"/api/v1/decisions/{decisionId}/outcome", new { grant, status, records = 1, detail = "done" }, Json);
}
