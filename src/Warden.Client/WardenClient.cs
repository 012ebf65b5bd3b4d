using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace Warden.Client;

/// <summary>
/// An agent's side of Warden's agent API: ask before acting, wait for people, report what happened,
/// have outputs screened. Thread-safe; keep one per agent identity (tokens are cached inside).
/// </summary>
public sealed class WardenClient : IDisposable
{
    /// <summary>The name of the <see cref="HttpClient"/> the client asks <see cref="IHttpClientFactory"/> for.</summary>
    public const string HttpClientName = "Warden";

    /// <summary>The longest wait one long-poll may ask of Warden.</summary>
    public static readonly TimeSpan MaxPollWait = TimeSpan.FromSeconds(30);

    private readonly WardenClientOptions _options;
    private readonly TimeProvider _clock;
    private readonly WardenTransport _transport;
    private readonly WardenTokenSource _tokens;
    private readonly HttpClient? _ownedHttp;

    /// <summary>For dependency injection; see <c>services.AddWardenClient(...)</c>.</summary>
    public WardenClient(IHttpClientFactory httpClients, IOptions<WardenClientOptions> options, TimeProvider clock)
        : this(() => httpClients.CreateClient(HttpClientName), options.Value, clock, null)
    {
    }

    internal WardenClient(Func<HttpClient> http, WardenClientOptions options, TimeProvider clock, HttpClient? owned)
    {
        options.Validate();
        _options = options;
        _clock = clock;
        _ownedHttp = owned;
        _transport = new WardenTransport(http, options, clock);
        _tokens = new WardenTokenSource(_transport, options, clock);
    }

    /// <summary>A client without dependency injection, on its own <see cref="HttpClient"/> (or on <paramref name="http"/>).</summary>
    public static WardenClient Create(WardenClientOptions options, HttpClient? http = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var owned = http is null ? new HttpClient { Timeout = Timeout.InfiniteTimeSpan } : null;
        var used = http ?? owned!;
        return new WardenClient(() => used, options, clock ?? TimeProvider.System, owned);
    }

    public string ClientId => _options.ClientId;

    /// <summary>A valid access token for this client (cached; renewed before it expires).</summary>
    public async Task<string> GetAccessTokenAsync(CancellationToken cancellationToken = default) =>
        await _tokens.GetAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Asks Warden before acting. A new Idempotency-Key is made for this ask unless one is given; failed
    /// attempts that are safe to repeat are retried with the same key, so Warden decides once.
    /// </summary>
    /// <exception cref="WardenRateLimitedException">The agent's rate limit is reached; see its RetryAfter.</exception>
    /// <exception cref="WardenContainedException">The agent is contained.</exception>
    /// <exception cref="WardenSchemaViolationException">The parameters fail the tool's schema.</exception>
    public Task<WardenDecision> AskAsync(WardenAsk ask, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ask);
        var key = idempotencyKey ?? NewIdempotencyKey();
        return SendAsync<WardenDecision>(CallKind.Ask, HttpMethod.Post, "api/v1/decisions", ask, _options.AttemptTimeout, cancellationToken,
            request => request.Headers.Add("Idempotency-Key", key));
    }

    /// <summary>
    /// What Warden would answer <paramref name="ask"/> now, without deciding it: the answer's
    /// <see cref="WardenDecision.State"/> is <c>dry_run</c>, it never carries a grant or an approval, and
    /// nothing is reserved (it counts toward no rate limit or budget). Recorded in Warden's audit log.
    /// </summary>
    /// <exception cref="WardenRateLimitedException">The API's call limit is reached; see its RetryAfter.</exception>
    public Task<WardenDecision> DryRunAsync(WardenAsk ask, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ask);
        return SendAsync<WardenDecision>(CallKind.Ask, HttpMethod.Post, "api/v1/decisions", ask with { DryRun = true }, _options.AttemptTimeout, cancellationToken);
    }

    /// <summary>The decision as it stands now; with <paramref name="wait"/> (at most 30 s) Warden holds the answer while it is pending.</summary>
    public Task<WardenDecision> GetDecisionAsync(string decisionId, TimeSpan? wait = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(decisionId);
        var seconds = wait is { } w ? (int)Math.Ceiling(Math.Clamp(w.TotalSeconds, 0, MaxPollWait.TotalSeconds)) : 0;
        var path = $"api/v1/decisions/{Uri.EscapeDataString(decisionId)}" + (seconds > 0 ? $"?waitSeconds={seconds.ToString(CultureInfo.InvariantCulture)}" : string.Empty);
        return SendAsync<WardenDecision>(CallKind.Read, HttpMethod.Get, path, null, _options.AttemptTimeout + TimeSpan.FromSeconds(seconds), cancellationToken);
    }

    /// <summary>
    /// Waits while the decision is pending, long-polling up to 30 s at a time, for at most
    /// <paramref name="bound"/>. Returns the decision as it then stands (still pending when time ran out).
    /// </summary>
    public async Task<WardenDecision> WaitAsync(string decisionId, TimeSpan bound, CancellationToken cancellationToken = default)
    {
        var deadline = _clock.GetUtcNow() + bound;
        while (true)
        {
            var left = deadline - _clock.GetUtcNow();
            var decision = await GetDecisionAsync(decisionId, left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            if (!decision.IsPending || _clock.GetUtcNow() >= deadline)
                return decision;
        }
    }

    /// <summary>Asks, and while the answer is pending waits for people for at most <paramref name="bound"/>.</summary>
    public async Task<WardenDecision> AskAndWaitAsync(WardenAsk ask, TimeSpan bound, CancellationToken cancellationToken = default)
    {
        var decision = await AskAsync(ask, cancellationToken: cancellationToken).ConfigureAwait(false);
        return decision.IsPending && bound > TimeSpan.Zero
            ? await WaitAsync(decision.Id, bound, cancellationToken).ConfigureAwait(false)
            : decision;
    }

    /// <summary>Reports what happened after an allowed action, with its single-use grant.</summary>
    public Task<WardenOutcomeReceipt> ReportOutcomeAsync(string decisionId, WardenOutcomeReport report, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(decisionId);
        ArgumentNullException.ThrowIfNull(report);
        return SendAsync<WardenOutcomeReceipt>(CallKind.Once, HttpMethod.Post, $"api/v1/decisions/{Uri.EscapeDataString(decisionId)}/outcome", report,
            _options.AttemptTimeout, cancellationToken);
    }

    /// <summary>
    /// Has an allowed action's output screened before it is released: allow releases it (as
    /// <see cref="WardenDecision.Release"/>: masked where the policy masks, with its provenance), deny
    /// holds it back, pending waits for people like any approval (see <see cref="WaitAsync"/>).
    /// </summary>
    public Task<WardenDecision> ReviewOutputAsync(string decisionId, object? output, CancellationToken cancellationToken = default) =>
        ReviewOutputAsync(decisionId, output, destination: null, cancellationToken);

    /// <inheritdoc cref="ReviewOutputAsync(string, object?, CancellationToken)"/>
    /// <param name="destination">Where the output goes (a host, address or URL); none means it is treated as leaving the agent's scopes.</param>
    public Task<WardenDecision> ReviewOutputAsync(string decisionId, object? output, string? destination, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(decisionId);
        return SendAsync<WardenDecision>(CallKind.Once, HttpMethod.Post, $"api/v1/decisions/{Uri.EscapeDataString(decisionId)}/output", new { output, destination },
            _options.AttemptTimeout, cancellationToken);
    }

    /// <summary>Asks Warden whether <paramref name="provenance"/> is its record of releasing exactly <paramref name="text"/> (anonymous; no token is needed).</summary>
    public Task<WardenProvenanceCheck> VerifyProvenanceAsync(string provenance, string text, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provenance);
        ArgumentNullException.ThrowIfNull(text);
        return SendAsync<WardenProvenanceCheck>(CallKind.Read, HttpMethod.Post, "api/v1/outputs/verify", new { provenance, text },
            _options.AttemptTimeout, cancellationToken);
    }

    /// <summary>The calling agent's profile, autonomy level, limits and containment state.</summary>
    public Task<WardenAgentProfile> GetAgentAsync(CancellationToken cancellationToken = default) =>
        SendAsync<WardenAgentProfile>(CallKind.Read, HttpMethod.Get, "api/v1/agents/me", null, _options.AttemptTimeout, cancellationToken);

    public static string NewIdempotencyKey() => "wc-" + Guid.NewGuid().ToString("N");

    internal async Task<T> SendAsync<T>(
        CallKind kind, HttpMethod method, string path, object? body, TimeSpan attemptTimeout, CancellationToken cancellationToken,
        Action<HttpRequestMessage>? decorate = null)
    {
        var uri = new Uri(_options.Root, path);
        // A refused token (expired early, invalidated by a rotation) is replaced once.
        for (var attempt = 0; ; attempt++)
        {
            var token = await _tokens.GetAsync(cancellationToken).ConfigureAwait(false);
            using var response = await _transport.SendAsync(kind, () =>
            {
                var request = new HttpRequestMessage(method, uri);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                if (body is not null)
                    request.Content = JsonContent.Create(body, body.GetType(), options: WardenJson.Options);
                decorate?.Invoke(request);
                return request;
            }, attemptTimeout, cancellationToken).ConfigureAwait(false);

            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
            {
                _tokens.Invalidate(token);
                continue;
            }
            if (!response.IsSuccessStatusCode)
                throw await ProblemReader.ToExceptionAsync(response, _clock, cancellationToken).ConfigureAwait(false);
            return await response.Content.ReadFromJsonAsync<T>(WardenJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw new WardenException($"Warden answered {path} with an empty body.");
        }
    }

    public void Dispose()
    {
        _tokens.Dispose();
        _ownedHttp?.Dispose();
    }
}
