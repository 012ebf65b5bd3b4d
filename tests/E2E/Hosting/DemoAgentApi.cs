using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Warden.E2E.Hosting;

/// <summary>Acts as a demo agent through the real agent API: a client-credentials token, then decisions.</summary>
public static class DemoAgentApi
{
    public const string Secret = "Warden-Demo-Agent-1";

    public static async Task<string> TokenAsync(HttpClient http, string agent)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = agent,
            ["client_secret"] = Secret,
        });
        using var response = await http.PostAsync(new Uri("/connect/token", UriKind.Relative), form, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("access_token").GetString()!;
    }

    /// <summary>Reports that the allowed action succeeded, with its grant.</summary>
    public static async Task ReportAsync(HttpClient http, string token, string decisionId, string grant, string detail)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/decisions/{decisionId}/outcome")
        {
            Content = JsonContent.Create(new { grant, status = "succeeded", records = 1, detail }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Asks for a decision and returns the answer's JSON, whatever its status.</summary>
    public static async Task<JsonElement> DecideAsync(HttpClient http, string token, object body)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/decisions") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }
}
