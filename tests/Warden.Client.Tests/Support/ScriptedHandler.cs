using System.Collections.Concurrent;
using System.Net;

namespace Warden.Client.Tests.Support;

/// <summary>
/// An HTTP handler between the client and the network: it records every request and, for the first
/// answers it is told to, replaces or prevents them, so failures happen exactly where a test wants.
/// </summary>
public sealed class ScriptedHandler : DelegatingHandler
{
    private readonly ConcurrentQueue<Func<HttpRequestMessage, Func<Task<HttpResponseMessage>>, Task<HttpResponseMessage>>> _script = new();

    /// <summary>On the network (<paramref name="network"/> true) or answering everything itself.</summary>
    public ScriptedHandler(bool network = true)
        : base(network ? new SocketsHttpHandler() : new NoNetwork())
    {
    }

    public ConcurrentQueue<(HttpMethod Method, string Path, string? IdempotencyKey)> Seen { get; } = new();

    /// <summary>The next request reaching a path containing <paramref name="path"/> is answered by <paramref name="step"/>.</summary>
    public ScriptedHandler Then(Func<HttpRequestMessage, Func<Task<HttpResponseMessage>>, Task<HttpResponseMessage>> step)
    {
        _script.Enqueue(step);
        return this;
    }

    /// <summary>Warden acts on the request, but the client is told 503 (the answer was lost).</summary>
    public ScriptedHandler ThenLoseTheAnswer() => Then(async (_, send) =>
    {
        using var real = await send();
        return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
    });

    public ScriptedHandler ThenAnswer(HttpStatusCode status, string? json = null, TimeSpan? retryAfter = null) => Then((_, _) =>
    {
        var response = new HttpResponseMessage(status);
        if (json is not null)
            response.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        if (retryAfter is { } wait)
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
        return Task.FromResult(response);
    });

    public ScriptedHandler ThenFailToConnect() => Then((_, _) =>
        throw new HttpRequestException(HttpRequestError.ConnectionError, "connection refused"));

    /// <summary>Requests to the token endpoint pass untouched; the script applies to the API.</summary>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        Seen.Enqueue((request.Method, path, request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null));
        if (path.EndsWith("/connect/token", StringComparison.Ordinal) || !_script.TryDequeue(out var step))
            return base.SendAsync(request, cancellationToken);
        return step(request, () => base.SendAsync(request, cancellationToken));
    }

    private sealed class NoNetwork : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"No scripted answer for {request.Method} {request.RequestUri}.");
    }
}
