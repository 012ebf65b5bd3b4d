using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;

namespace Warden.Infrastructure.AgentIdentity;

/// <summary>
/// Access tokens whose signature, issuer, audience and lifetime OpenIddict has already validated, kept
/// until they expire, so an agent's next call with the same token is not verified again. The check
/// that follows validation (is the agent still active, was the token minted after its last
/// invalidation: <see cref="AgentTokenGate"/>) still runs on every request, so a suspension,
/// containment or revocation refuses a remembered token as it refuses a new one.
/// <para>
/// Validation is stateless (no token entries): its answer for the same token string can only change
/// when the token expires, which is when an entry stops being used. The bound on entries keeps memory
/// flat whatever the number of agents; past it, tokens are validated every time rather than evicting.
/// </para>
/// </summary>
public sealed class ValidatedTokens(TimeProvider clock)
{
    /// <summary>The most tokens remembered at once (about a kilobyte each).</summary>
    public const int Capacity = 20_000;

    /// <summary>The lifetime check's allowance, as OpenIddict applies it (DESIGN section 5: up to 30 s).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> _tokens = new(StringComparer.Ordinal);
    private long _nextSweep;

    public int Count => _tokens.Count;

    /// <summary>The ticket validated for <paramref name="token"/> (the request's whole <c>Authorization</c> header), while the token is within its lifetime.</summary>
    public AuthenticationTicket? Find(string token)
    {
        if (!_tokens.TryGetValue(token, out var entry))
            return null;
        if (clock.GetUtcNow() <= entry.UsableUntil)
            return entry.Ticket;
        _tokens.TryRemove(new KeyValuePair<string, Entry>(token, entry));
        return null;
    }

    /// <summary>Remembers a ticket OpenIddict validated for <paramref name="token"/>; tokens without an expiry are not remembered.</summary>
    public void Remember(string token, AuthenticationTicket ticket)
    {
        if (ticket.Principal.GetExpirationDate() is not { } expires)
            return;
        var now = clock.GetUtcNow();
        var usableUntil = expires + ClockSkew;
        if (usableUntil < now)
            return;
        if (_tokens.Count >= Capacity)
        {
            Sweep(now);
            if (_tokens.Count >= Capacity)
                return;
        }
        _tokens[token] = new Entry(ticket, usableUntil);
        // Expired entries go at most once a minute, off the callers' common path.
        var sweepAt = Interlocked.Read(ref _nextSweep);
        if (now.UtcTicks >= sweepAt && Interlocked.CompareExchange(ref _nextSweep, now.AddMinutes(1).UtcTicks, sweepAt) == sweepAt)
            Sweep(now);
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (token, entry) in _tokens)
        {
            if (entry.UsableUntil < now)
                _tokens.TryRemove(new KeyValuePair<string, Entry>(token, entry));
        }
    }

    private sealed record Entry(AuthenticationTicket Ticket, DateTimeOffset UsableUntil);
}

/// <summary>
/// The agent API's bearer scheme: a token validated before is answered from <see cref="ValidatedTokens"/>;
/// anything else (a new token, a malformed or forged one, none at all) goes to OpenIddict's validation,
/// which also answers challenges and refusals for this scheme, so errors read exactly as OpenIddict writes them.
/// </summary>
public sealed class AgentBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemes, ILoggerFactory logger, UrlEncoder encoder, ValidatedTokens validated)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, logger, encoder)
{
    public const string SchemeName = "WardenBearer";

    private const string Validation = OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // The whole header is the key: the same bytes OpenIddict validated, with no reading of ours in between.
        var header = Request.Headers.Authorization.ToString();
        var bearer = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header : null;
        if (bearer is not null && validated.Find(bearer) is { } known)
            return AuthenticateResult.Success(known);
        if (await PrepareValidationAsync())
            return AuthenticateResult.Fail("OpenIddict answered the request itself.");
        var result = await Context.AuthenticateAsync(Validation);
        if (bearer is not null && result is { Succeeded: true, Ticket: { } ticket })
            validated.Remember(bearer, ticket);
        return result;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (!await PrepareValidationAsync())
            await Context.ChallengeAsync(Validation, properties);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (!await PrepareValidationAsync())
            await Context.ForbidAsync(Validation, properties);
    }

    /// <summary>
    /// OpenIddict's validation reads a request only after its own per-request step, which the
    /// authentication middleware runs for every request except the agent API's
    /// (<see cref="AgentApiAuthentication"/>): there it runs here, once, and only when OpenIddict is needed.
    /// </summary>
    /// <returns>True when OpenIddict answered the request itself.</returns>
    private async Task<bool> PrepareValidationAsync()
    {
        if (!AgentApiAuthentication.Deferred(Context))
            return false;
        var handlers = Context.RequestServices.GetRequiredService<IAuthenticationHandlerProvider>();
        return await handlers.GetHandlerAsync(Context, Validation) is IAuthenticationRequestHandler handler && await handler.HandleRequestAsync();
    }
}
