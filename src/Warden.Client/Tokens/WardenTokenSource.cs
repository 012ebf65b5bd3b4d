using System.Net.Http.Headers;
using System.Text.Json;

namespace Warden.Client;

/// <summary>
/// Access tokens from <c>POST /connect/token</c> (client credentials, with a secret or a signed client
/// assertion), cached and replaced shortly before they expire. One token is fetched at a time.
/// </summary>
internal sealed class WardenTokenSource(WardenTransport transport, WardenClientOptions options, TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private CachedToken? _current;

    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } cached && clock.GetUtcNow() < cached.RefreshAt)
            return cached.Token;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is { } fresh && clock.GetUtcNow() < fresh.RefreshAt)
                return fresh.Token;
            _current = await RequestAsync(cancellationToken).ConfigureAwait(false);
            return _current.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets <paramref name="token"/> after the API refused it, so the next call gets a new one.</summary>
    public void Invalidate(string token)
    {
        if (_current?.Token == token)
            _current = null;
    }

    private async Task<CachedToken> RequestAsync(CancellationToken cancellationToken)
    {
        var requestedAt = clock.GetUtcNow();
        using var response = await transport.SendAsync(CallKind.Read, BuildRequest, options.AttemptTimeout, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var json = Parse(body);
        if (!response.IsSuccessStatusCode || Text(json, "access_token") is not { } token)
        {
            if (Text(json, "error") is { } error)
                throw new WardenAuthenticationException(options.ClientId, error, Text(json, "error_description"), (int)response.StatusCode);
            throw new WardenException($"Warden's token endpoint answered {(int)response.StatusCode} without a token.");
        }
        var lifetime = json.TryGetProperty("expires_in", out var seconds) && seconds.TryGetInt32(out var value)
            ? TimeSpan.FromSeconds(value)
            : TimeSpan.FromMinutes(5);
        var margin = options.TokenRefreshMargin < lifetime / 2 ? options.TokenRefreshMargin : lifetime / 2;
        return new CachedToken(token, requestedAt + lifetime - margin);
    }

    // Built anew for each attempt: a client assertion's jti is accepted once.
    private HttpRequestMessage BuildRequest()
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = options.ClientId,
        };
        if (options.PrivateKey is { } key)
        {
            form["client_assertion_type"] = ClientAssertion.Type;
            form["client_assertion"] = ClientAssertion.Create(options.ClientId, options.Issuer, key, clock.GetUtcNow());
        }
        else
        {
            form["client_secret"] = options.ClientSecret!;
        }
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Root, "connect/token"))
        {
            Content = new FormUrlEncodedContent(form),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    private static JsonElement Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static string? Text(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public void Dispose() => _gate.Dispose();

    private sealed record CachedToken(string Token, DateTimeOffset RefreshAt);
}
