using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Warden.LoadBench;

/// <summary>Client-credentials tokens for the demo agents, from the app's own token endpoint.</summary>
public static class AgentTokens
{
    public const string DemoSecret = "Warden-Demo-Agent-1";

    public static async Task<IReadOnlyDictionary<string, string>> GetAsync(HttpClient client, IEnumerable<(string Id, string Secret)> agents, CancellationToken cancellationToken)
    {
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (agentId, secret) in agents)
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = agentId,
                ["client_secret"] = secret,
            });
            using var response = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), form, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new InvalidOperationException($"No token for {agentId}: {(int)response.StatusCode} {body}");
            }
            var token = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken);
            tokens[agentId] = token?.AccessToken ?? throw new InvalidOperationException($"No access_token for {agentId}.");
        }
        return tokens;
    }

    private sealed record TokenResponse([property: JsonPropertyName("access_token")] string? AccessToken);
}
