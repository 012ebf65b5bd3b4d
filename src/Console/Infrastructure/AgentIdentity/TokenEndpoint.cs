using System.Text.Json.Serialization;
using Microsoft.AspNetCore;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Warden.Domain.Agents;
using Warden.Infrastructure.Hosting;
using Warden.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Warden.Infrastructure.AgentIdentity;

/// <summary>The form of <c>POST /connect/token</c> (RFC 6749 section 4.4, and RFC 7523 for client assertions).</summary>
[ApiRequired("grant_type")]
public sealed record TokenRequestForm(
    [property: JsonPropertyName("grant_type")] string GrantType,
    [property: JsonPropertyName("client_id")] string? ClientId,
    [property: JsonPropertyName("client_secret")] string? ClientSecret,
    [property: JsonPropertyName("client_assertion_type")] string? ClientAssertionType,
    [property: JsonPropertyName("client_assertion")] string? ClientAssertion,
    [property: JsonPropertyName("scope")] string? Scope);

/// <summary>An issued access token (RFC 6749 section 5.1).</summary>
public sealed record TokenResponseBody(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("scope")] string? Scope);

/// <summary>A refused token request (RFC 6749 section 5.2).</summary>
public sealed record OAuthErrorBody(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription,
    [property: JsonPropertyName("error_uri")] string? ErrorUri);

/// <summary>
/// <c>POST /connect/token</c> after OpenIddict authenticated the client: Warden decides whether the
/// agent may have a token and builds its principal (subject = agent id, audience warden-api).
/// </summary>
internal static class TokenEndpoint
{
    public static IEndpointRouteBuilder MapAgentTokenEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(AgentApi.TokenEndpoint, ExchangeAsync).AllowAnonymous().DisableAntiforgery()
            .WithTags("Tokens").WithName("RequestToken")
            .WithSummary("OAuth 2.0 client credentials: an access token for an agent, or for an automation client with its scopes.")
            .WithDescription("Authenticate with client_id and client_secret, or with a signed client_assertion (private_key_jwt, " +
                "typ client-authentication+jwt, audience the issuer, a fresh jti). Errors are problem documents that keep the RFC 6749 section 5.2 fields (error, error_description); " +
                "repeated failures are answered 429 with Retry-After.")
            .DescribesBody<TokenRequestForm>("application/x-www-form-urlencoded")
            .Produces<TokenResponseBody>(StatusCodes.Status200OK)
            .Produces<OAuthErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<OAuthErrorBody>(StatusCodes.Status401Unauthorized);
        return endpoints;
    }

    private static async Task<IResult> ExchangeAsync(
        HttpContext http, IDbContextFactory<WardenDbContext> contexts, ClientAssertionReplayCache assertions, CancellationToken cancellationToken)
    {
        var request = http.GetOpenIddictServerRequest();
        if (request is null)
            return Results.BadRequest();
        if (!request.IsClientCredentialsGrantType())
            return Refuse(Errors.UnsupportedGrantType, "Only the client credentials grant is supported.");
        var agentId = request.ClientId ?? string.Empty;
        await using var db = contexts.CreateDbContext();
        if (agentId.StartsWith(AutomationClient.IdPrefix, StringComparison.Ordinal))
            return await AutomationTokenAsync(db, agentId, cancellationToken);
        if (!AgentId.TryParse(agentId, out var id))
            return Refuse(Errors.InvalidClient, "The client is not an agent.");

        var agent = await db.Agents.AsNoTracking()
            .Where(a => a.Id == id)
            .Select(a => new { a.Name, a.Status })
            .SingleOrDefaultAsync(cancellationToken);
        if (agent is null || agent.Status != AgentStatus.Active)
            return Refuse(Errors.InvalidClient, "The agent is not active.");
        var credential = await db.Set<AgentCredential>().AsNoTracking().SingleOrDefaultAsync(c => c.AgentId == agentId, cancellationToken);
        if (credential?.RevokedAt is not null)
            return Refuse(Errors.InvalidClient, "The agent's credentials are revoked.");
        // Form clients (generated ones among them) may send unused fields empty: an empty assertion is no assertion.
        if (request.ClientAssertion is { Length: > 0 } assertion && !await assertions.TryAcceptAsync(agentId, assertion, cancellationToken))
            return Refuse(Errors.InvalidClient, "The client assertion was already used or has no jti.");

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, agentId);
        identity.SetClaim(Claims.Name, agent.Name);
        identity.SetAudiences(AgentApi.Audience);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        var principal = new ClaimsPrincipal(identity);
        principal.SetAccessTokenLifetime(TimeSpan.FromMinutes(credential?.AccessTokenLifetimeMinutes ?? AgentTokenLifetime.DefaultMinutes));
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    // Security tooling gets a token for the automation audience with its own scopes; never the agent audience.
    private static async Task<IResult> AutomationTokenAsync(WardenDbContext db, string clientId, CancellationToken cancellationToken)
    {
        var client = await db.AutomationClients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clientId, cancellationToken);
        if (client is null || client.RevokedAt is not null)
            return Refuse(Errors.InvalidClient, "The automation client is revoked or unknown.");
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, client.Id);
        identity.SetClaim(Claims.Name, client.Name);
        identity.SetAudiences(AutomationClient.Audience);
        identity.SetScopes(client.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        var principal = new ClaimsPrincipal(identity);
        principal.SetAccessTokenLifetime(TimeSpan.FromMinutes(AgentTokenLifetime.DefaultMinutes));
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult Refuse(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
