using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Components;

namespace Warden.Infrastructure.Hosting;

/// <summary>
/// The browser-facing headers of every answer: a Content-Security-Policy that Blazor Server and
/// MudBlazor work under (scripts only from Warden itself, plus the page's import map by its hash;
/// MudBlazor sets inline styles; the circuit's WebSocket is same-origin), no MIME sniffing, no
/// referrer to other sites, no powerful browser features, and no Server header (Kestrel's is off).
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    private const string PolicyScripts = "default-src 'self'; script-src 'self'";

    private const string PolicyRest =
        "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    // The API reference page (Scalar) configures itself with an inline script.
    private const string ReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()";

    private static readonly ConcurrentDictionary<ImportMapDefinition, string> ImportMapHashes = new();

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = PermissionsPolicy;
            headers.Remove("Server");
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/api-docs")
                ? ReferencePolicy
                : PolicyScripts + ImportMapSource(context) + PolicyRest;
            return Task.CompletedTask;
        });
        return next(context);
    }

    // <ImportMap /> writes the endpoint's import map as an inline script: allowed by its exact hash, nothing else inline.
    private static string ImportMapSource(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<ImportMapDefinition>() is not { } map)
            return string.Empty;
        return ImportMapHashes.GetOrAdd(map, m => $" 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.ToString())))}'");
    }
}
