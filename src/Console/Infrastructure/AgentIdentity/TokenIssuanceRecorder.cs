using Microsoft.AspNetCore;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Warden.Persistence;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Warden.Infrastructure.AgentIdentity;

/// <summary>Writes every access token handed to an agent to the issuance log and stamps "last used".</summary>
internal sealed class TokenIssuanceRecorder(IDbContextFactory<WardenDbContext> contexts, TimeProvider clock) : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseScopedHandler<TokenIssuanceRecorder>()
            .SetOrder(int.MinValue + 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        var handler = new JsonWebTokenHandler();
        if (context.Response.AccessToken is not { } token || !handler.CanReadToken(token))
            return;
        var jwt = handler.ReadJsonWebToken(token);
        var agentId = jwt.Subject;
        if (string.IsNullOrEmpty(agentId))
            return;

        var now = clock.GetUtcNow();
        await using var db = contexts.CreateDbContext();
        db.Set<TokenIssuance>().Add(new TokenIssuance
        {
            AgentId = agentId,
            IssuedAt = new DateTimeOffset(jwt.IssuedAt, TimeSpan.Zero),
            TokenId = jwt.Id ?? string.Empty,
            ExpiresAt = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero),
            ClientAuthenticationMethod = MethodOf(context),
        });
        var credential = await db.Set<AgentCredential>().SingleOrDefaultAsync(c => c.AgentId == agentId);
        if (credential is null)
            db.Set<AgentCredential>().Add(new AgentCredential { AgentId = agentId, LastUsedAt = now });
        else
            credential.LastUsedAt = now;
        await db.SaveChangesAsync();
    }

    private static string MethodOf(ApplyTokenResponseContext context)
    {
        if (context.Request?.ClientAssertion is not null)
            return OpenIddictConstants.ClientAuthenticationMethods.PrivateKeyJwt;
        var authorization = context.Transaction.GetHttpRequest()?.Headers.Authorization.ToString();
        return authorization?.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) == true
            ? OpenIddictConstants.ClientAuthenticationMethods.ClientSecretBasic
            : OpenIddictConstants.ClientAuthenticationMethods.ClientSecretPost;
    }
}
