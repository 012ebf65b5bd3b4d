using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Warden.Domain;
using Warden.Domain.People;

namespace Warden.Infrastructure.Identity;

/// <summary>
/// Where a person goes to prove who they are (<c>/Account/ConfirmIdentity</c>), and the gate that sends
/// an officer or administrator there while their session has no second factor. The gate is a
/// convenience for the browser; the control is <see cref="AccessGuard"/>.
/// </summary>
public static class ProofPaths
{
    public const string ConfirmPath = "/Account/ConfirmIdentity";
    public const string StepUpReason = "step-up";
    public const string SecondFactorReason = "second-factor";

    private static readonly string[] Ungated =
        ["/Account", "/api", "/connect", "/_blazor", "/_framework", "/_content", "/healthz", "/readyz", "/openapi", "/.well-known", "/not-found", "/Error"];

    public static string ConfirmUri(string reason, string? returnUrl) =>
        $"{ConfirmPath}?reason={Uri.EscapeDataString(reason)}&returnUrl={Uri.EscapeDataString(SafeReturn(returnUrl))}";

    /// <summary>A local path to return to; anything else (another host, a scheme, <c>//</c>, <c>/\</c>) goes home.</summary>
    public static string SafeReturn(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
            && Uri.IsWellFormedUriString(url, UriKind.Relative)
            ? url
            : "/";

    /// <summary>
    /// Sends the person to prove who they are when <paramref name="error"/> asks for it, returning them
    /// to the page they are on afterwards; false (nothing done) for any other error.
    /// </summary>
    public static bool SendToProof(this NavigationManager navigation, Error error)
    {
        var reason = error.Code == PersonErrors.StepUpRequired.Code ? StepUpReason
            : error.Code == PersonErrors.SecondFactorRequired.Code ? SecondFactorReason
            : null;
        if (reason is null)
            return false;
        navigation.NavigateTo(ConfirmUri(reason, "/" + navigation.ToBaseRelativePath(navigation.Uri)), forceLoad: true);
        return true;
    }

    /// <summary>Page requests of an officer or administrator whose session has no second factor go to confirm it.</summary>
    public static IApplicationBuilder UseSecondFactorGate(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (NeedsSecondFactor(context.User) && IsGated(context.Request.Path))
            {
                if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                    context.Response.Redirect(ConfirmUri(SecondFactorReason, context.Request.Path + context.Request.QueryString));
                else
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
            await next(context);
        });

    private static bool NeedsSecondFactor(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
        && (user.IsInRole(Roles.SecurityOfficer) || user.IsInRole(Roles.Administrator))
        && !ProofClaims.HasSecondFactor(user);

    private static bool IsGated(PathString path) =>
        !Ungated.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
        && !Path.HasExtension(path.Value);
}
