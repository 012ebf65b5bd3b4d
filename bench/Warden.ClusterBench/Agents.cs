using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Features.Agents;
using Warden.Features.Credentials;

namespace Warden.ClusterBench;

/// <summary>Bench agents: registered and given a secret through one instance's services, tokens from any instance's endpoint.</summary>
internal static class Agents
{
    public const string Owner = "owner@warden.example";
    public const string Officer = "officer@warden.example";

    public static readonly byte[] AllowedRequest = JsonSerializer.SerializeToUtf8Bytes(new
    {
        tool = "crm.read",
        operation = "read",
        resource = "crm/accounts/1",
        parameters = new { },
        impact = new { records = 1 },
    });

    private static readonly Uri TokenPath = new("/connect/token", UriKind.Relative);
    private static readonly Uri DecisionsPath = new("/api/v1/decisions", UriKind.Relative);
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>Registers an agent allowed to read CRM accounts, with the highest rate limit, and issues its secret.</summary>
    public static async Task<(string Id, string Secret)> RegisterAsync(AppHost host, string name)
    {
        var draft = new AgentDraft
        {
            Name = name,
            Purpose = "Asks for decisions while the cluster is measured.",
            Segment = "bench",
            Tools = [new ToolDraft("crm.read", [OperationKind.Read], RiskTier.Low, null)],
            Scopes = ["crm/accounts/*"],
            RateLimitPerMinute = AgentProfile.MaxRateLimitPerMinute,
        };
        var registered = await host.AsUserAsync<AgentRegistryService, Result<string>>(Owner, s => s.RegisterAsync(draft));
        if (registered.IsFailure)
            throw new InvalidOperationException($"Registering {name}: {registered.Error.Message}");
        var secret = await host.AsUserAsync<CredentialService, Result<string>>(Owner, s => s.IssueSecretAsync(registered.Value));
        if (secret.IsFailure)
            throw new InvalidOperationException($"Issuing a secret for {name}: {secret.Error.Message}");
        return (registered.Value, secret.Value);
    }

    /// <summary>A token from <paramref name="client"/>'s instance (keys are per instance for now: the instance it will call).</summary>
    public static async Task<string> TokenAsync(HttpClient client, string id, string secret)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = id, ["client_secret"] = secret });
        using var response = await client.PostAsync(TokenPath, form);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"No token for {id} from {client.BaseAddress}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("access_token").GetString()!;
    }

    public static HttpClient Client(Uri baseAddress) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 256,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>One allowed-decision request; the answer classified as allowed, a refusal (and which) or an error.</summary>
    public static async Task<Answer> DecideAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, DecisionsPath);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Content = new ByteArrayContent(AllowedRequest) { Headers = { ContentType = Json } };
        try
        {
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return Classify((int)response.StatusCode, text);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new Answer(AnswerKind.Error, ex.GetType().Name);
        }
    }

    private static Answer Classify(int status, string text)
    {
        var outcome = Property(text, "\"outcome\":\"");
        var code = Property(text, "\"code\":\"");
        if (status == 200 && outcome == "allow")
            return new Answer(AnswerKind.Allowed, "200 allow");
        var label = $"{status} {outcome ?? string.Empty} {code ?? string.Empty}".Replace("  ", " ", StringComparison.Ordinal).Trim();
        // Refusals: the token gate (401, 403), a containment or other deny, the engine's limits, and an
        // instance that cannot confirm its view (503). Anything else is an error of the run.
        return status is 401 or 403 or 429 or 503 || (status == 200 && outcome is "deny" or "pending")
            ? new Answer(code == "contained" || status == 403 ? AnswerKind.Contained : status == 503 ? AnswerKind.Unavailable : AnswerKind.OtherRefusal, label)
            : new Answer(AnswerKind.Error, label);
    }

    private static string? Property(string text, string prefix)
    {
        var start = text.IndexOf(prefix, StringComparison.Ordinal);
        if (start < 0)
            return null;
        start += prefix.Length;
        var end = text.IndexOf('"', start);
        return end < 0 ? null : text[start..end];
    }
}

internal enum AnswerKind
{
    Allowed,
    Contained,
    Unavailable,
    OtherRefusal,
    Error,
}

internal readonly record struct Answer(AnswerKind Kind, string Label)
{
    public bool IsRefusal => Kind is AnswerKind.Contained or AnswerKind.Unavailable or AnswerKind.OtherRefusal;
}
