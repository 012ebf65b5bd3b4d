using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Warden.Features.Demo;
using Warden.Infrastructure.Identity;

namespace Warden.Cluster.Tests.Support;

/// <summary>
/// An agent talking to one instance with a bearer token, as a real agent would: client credentials at
/// /connect/token, then the decision API. <see cref="On"/> sends the same token to another instance.
/// </summary>
public sealed class AgentClient(WardenInstance instance, string clientId, string token)
{
    public static readonly string Support = DemoAgents.All[0].Id.Value;
    public static readonly string DemoSecret = new DemoOptions().AgentSecret;

    public WardenInstance Instance { get; } = instance;

    public string ClientId { get; } = clientId;

    public string Token { get; } = token;

    /// <summary>Gets a token from <paramref name="instance"/> (the demo support agent and secret unless told otherwise).</summary>
    public static async Task<AgentClient> SignInAsync(WardenInstance instance, string? clientId = null, string? secret = null)
    {
        clientId ??= Support;
        using var response = await RequestTokenAsync(instance, clientId, secret ?? DemoSecret);
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"token request to {instance} answered {(int)response.StatusCode}: {body}\n{instance.Output}");
        var token = JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
        return new AgentClient(instance, clientId, token);
    }

    public static Task<HttpResponseMessage> RequestTokenAsync(WardenInstance instance, string clientId, string secret) =>
        instance.Http.PostAsync(new Uri("connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        }));

    /// <summary>The same agent and token, talking to another instance.</summary>
    public AgentClient On(WardenInstance other) => new(other, ClientId, Token);

    /// <summary>A low-risk read the demo support agent is allowed at any autonomy level.</summary>
    public static object ReadTicket(int ticket) => new
    {
        tool = "tickets.read",
        operation = "read",
        resource = $"helpdesk/tickets/{ticket}",
        parameters = new { },
        impact = new { records = 1 },
    };

    public Task<HttpResponseMessage> DecideAsync(object request, string? idempotencyKey = null)
    {
        var message = Authorized(HttpMethod.Post, "api/v1/decisions");
        message.Headers.Add("Idempotency-Key", idempotencyKey ?? Guid.NewGuid().ToString("N"));
        message.Content = JsonContent.Create(request);
        return Instance.Http.SendAsync(message);
    }

    /// <summary>Asks for a decision and returns it; fails with the instance's output unless it is a 200.</summary>
    public async Task<JsonElement> DecideOkAsync(object request)
    {
        using var response = await DecideAsync(request);
        return await response.ShouldBeJsonAsync(200, Instance);
    }

    public Task<HttpResponseMessage> ReportOutcomeAsync(string decisionId, string grant, string status = "succeeded")
    {
        var message = Authorized(HttpMethod.Post, $"api/v1/decisions/{decisionId}/outcome");
        message.Content = JsonContent.Create(new { grant, status, records = 1 });
        return Instance.Http.SendAsync(message);
    }

    public Task<HttpResponseMessage> GetDecisionAsync(string decisionId) =>
        Instance.Http.SendAsync(Authorized(HttpMethod.Get, $"api/v1/decisions/{decisionId}"));

    private HttpRequestMessage Authorized(HttpMethod method, string path)
    {
        var message = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return message;
    }
}
