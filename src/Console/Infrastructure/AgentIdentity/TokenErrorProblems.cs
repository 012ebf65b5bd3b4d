using Microsoft.AspNetCore;
using OpenIddict.Server;
using Warden.Infrastructure.Hosting;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Warden.Infrastructure.AgentIdentity;

/// <summary>
/// A refused token request is a problem document like every other error on <c>/connect</c>
/// (<c>type</c>, <c>title</c>, <c>detail</c>, served as <c>application/problem+json</c>) and keeps the
/// OAuth fields (<c>error</c>, <c>error_description</c>, RFC 6749 section 5.2) that OAuth clients read.
/// </summary>
internal sealed class TokenErrorProblems : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseSingletonHandler<TokenErrorProblems>()
            .SetOrder(int.MinValue + 100_002)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        if (context.Response.Error is not { Length: > 0 } error)
            return ValueTask.CompletedTask;
        context.Response["type"] = ApiProblemTypes.OAuthError.Uri;
        context.Response["title"] = ApiProblemTypes.OAuthError.Title;
        context.Response["detail"] = context.Response.ErrorDescription ?? error;
        if (context.Transaction.GetHttpRequest()?.HttpContext is { } http)
        {
            http.Response.OnStarting(() =>
            {
                if (http.Response.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
                    http.Response.ContentType = "application/problem+json; charset=utf-8";
                return Task.CompletedTask;
            });
        }
        return ValueTask.CompletedTask;
    }
}
