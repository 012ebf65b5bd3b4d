using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Warden.Client;

/// <summary>
/// For tools: checks offline that a grant was signed by Warden and names exactly the call about to
/// run, and redeems it online when the tool needs single use. Keys are read from Warden's JWKS
/// endpoint and cached; an unknown <c>kid</c> reads them again (a rotation).
/// </summary>
public sealed class GrantVerifier : IDisposable
{
    public const string HttpClientName = "Warden.Grants";
    public const string KeysPath = "api/v1/grants/keys";
    public const string RedeemPath = "api/v1/grants/redeem";

    private readonly GrantVerifierOptions _options;
    private readonly TimeProvider _clock;
    private readonly WardenTransport _transport;
    private readonly Lazy<WardenClient> _toolClient;
    private readonly SemaphoreSlim _fetch = new(1, 1);
    private readonly HttpClient? _ownedHttp;
    private (GrantKeySet Keys, DateTimeOffset FetchedAt)? _keys;

    public GrantVerifier(IHttpClientFactory httpClients, IOptions<GrantVerifierOptions> options, TimeProvider clock)
        : this(() => httpClients.CreateClient(HttpClientName), options.Value, clock, null)
    {
    }

    private GrantVerifier(Func<HttpClient> http, GrantVerifierOptions options, TimeProvider clock, HttpClient? owned)
    {
        if (options.BaseAddress is null || !options.BaseAddress.IsAbsoluteUri)
            throw new InvalidOperationException("WardenGrants:BaseAddress must be the console's absolute address.");
        _options = options;
        _clock = clock;
        _ownedHttp = owned;
        var transportOptions = options.ClientOptions();
        _transport = new WardenTransport(http, transportOptions, clock);
        _toolClient = new Lazy<WardenClient>(() => new WardenClient(http, options.ClientOptions(), clock, null));
    }

    public static GrantVerifier Create(GrantVerifierOptions options, HttpClient? http = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var owned = http is null ? new HttpClient { Timeout = Timeout.InfiniteTimeSpan } : null;
        var used = http ?? owned!;
        return new GrantVerifier(() => used, options, clock ?? TimeProvider.System, owned);
    }

    /// <summary>Checks <paramref name="grant"/> offline against Warden's keys (read and cached as needed) for <paramref name="call"/>.</summary>
    public async Task<GrantVerification> VerifyAsync(string grant, WardenAsk call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(call);
        var keys = FreshKeys() ?? await GetKeysAsync(refresh: false, cancellationToken).ConfigureAwait(false);
        var verification = Verify(grant, call, keys);
        if (verification.Failure != GrantFailure.UnknownKey || !ReadAgainAllowed())
            return verification;
        keys = await GetKeysAsync(refresh: true, cancellationToken).ConfigureAwait(false);
        return Verify(grant, call, keys);
    }

    /// <summary>Checks <paramref name="grant"/> for <paramref name="call"/> with the given keys, without any network.</summary>
    public GrantVerification Verify(string grant, WardenAsk call, GrantKeySet keys)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(keys);
        return GrantChecks.Check(grant, call, keys, _options, _clock.GetUtcNow());
    }

    /// <summary>
    /// Checks that a request to this tool's endpoint (a preview to give, an action to undo) was signed by
    /// Warden: its <c>Warden-Signature</c> header, the exact <paramref name="body"/> received and the
    /// <paramref name="endpoint"/> it arrived at. Deduplicate on <see cref="ToolRequestVerification.DeliveryId"/>.
    /// </summary>
    public async Task<ToolRequestVerification> VerifyToolRequestAsync(string? signature, ReadOnlyMemory<byte> body, Uri endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var keys = FreshKeys() ?? await GetKeysAsync(refresh: false, cancellationToken).ConfigureAwait(false);
        var verification = ToolRequestChecks.Check(signature, body.Span, endpoint, keys, _options, _clock.GetUtcNow());
        if (verification.Failure != GrantFailure.UnknownKey || !ReadAgainAllowed())
            return verification;
        keys = await GetKeysAsync(refresh: true, cancellationToken).ConfigureAwait(false);
        return ToolRequestChecks.Check(signature, body.Span, endpoint, keys, _options, _clock.GetUtcNow());
    }

    /// <summary>
    /// Redeems <paramref name="grant"/> once, online, as the tool's automation client: the first
    /// redemption of a grant for exactly this call succeeds; anything else throws.
    /// </summary>
    /// <exception cref="WardenGrantRefusedException">Forged, for another call, expired, already used, or revoked since the decision.</exception>
    public Task<GrantRedemption> RedeemAsync(string grant, WardenAsk call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(call);
        if (string.IsNullOrEmpty(_options.ClientId))
            throw new InvalidOperationException("Redeeming grants needs the tool's automation client: set ClientId and ClientSecret (or PrivateKey).");
        return _toolClient.Value.SendAsync<GrantRedemption>(CallKind.Once, HttpMethod.Post, RedeemPath,
            new { grant, digest = RequestDigest.Of(call) }, _options.AttemptTimeout, cancellationToken);
    }

    /// <summary>Warden's grant keys: cached for <see cref="GrantVerifierOptions.KeysLifetime"/>, or read now with <paramref name="refresh"/>.</summary>
    public async Task<GrantKeySet> GetKeysAsync(bool refresh = false, CancellationToken cancellationToken = default)
    {
        if (!refresh && FreshKeys() is { } cached)
            return cached;
        await _fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_keys is { } fresh && _clock.GetUtcNow() - fresh.FetchedAt < (refresh ? _options.KeysRefetchInterval : _options.KeysLifetime))
                return fresh.Keys;
            var uri = new Uri(_options.ClientOptions().Root, KeysPath);
            using var response = await _transport.SendAsync(CallKind.Read, () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, uri);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                return request;
            }, _options.AttemptTimeout, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw await ProblemReader.ToExceptionAsync(response, _clock, cancellationToken).ConfigureAwait(false);
            var keys = GrantKeySet.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            _keys = (keys, _clock.GetUtcNow());
            return keys;
        }
        finally
        {
            _fetch.Release();
        }
    }

    private GrantKeySet? FreshKeys() =>
        _keys is { } cached && _clock.GetUtcNow() - cached.FetchedAt < _options.KeysLifetime ? cached.Keys : null;

    private bool ReadAgainAllowed() => _keys is not { } cached || _clock.GetUtcNow() - cached.FetchedAt >= _options.KeysRefetchInterval;

    public void Dispose()
    {
        _fetch.Dispose();
        if (_toolClient.IsValueCreated)
            _toolClient.Value.Dispose();
        _ownedHttp?.Dispose();
    }
}
