using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Warden.Features.Metrics;

/// <summary>
/// Authenticates a Prometheus server by the configured scrape token (<c>Authorization: Bearer …</c>),
/// compared in constant time. It grants nothing but the scrape claim; without a configured token it
/// authenticates no one.
/// </summary>
public sealed class ScrapeTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemes, ILoggerFactory logger, UrlEncoder encoder, IOptions<MetricsOptions> metrics)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, logger, encoder)
{
    public const string SchemeName = "MetricsScrapeToken";
    public const string ScrapeClaim = "warden:metrics_scrape";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(AuthenticateResult.NoResult());
        var expected = metrics.Value.ScrapeToken;
        if (string.IsNullOrEmpty(expected))
            return Task.FromResult(AuthenticateResult.NoResult());
        var presented = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        if (!CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(expected)))
            return Task.FromResult(AuthenticateResult.Fail("The scrape token does not match."));
        var identity = new ClaimsIdentity([new Claim(ScrapeClaim, "true"), new Claim(ClaimTypes.Name, "prometheus")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    // A scraper that sent a token learns it was refused; a browser without one is left to the cookie's redirect to the login page.
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.WWWAuthenticate = "Bearer";
        }
        return Task.CompletedTask;
    }
}
