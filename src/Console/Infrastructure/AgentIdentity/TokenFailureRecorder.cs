using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using Warden.Domain.Audit;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Warden.Infrastructure.AgentIdentity;

/// <summary>
/// Every token answer passes here. A refused client (unknown id, wrong secret or assertion, inactive
/// or revoked agent) gets one and the same answer, costs about the time of a secret check, is counted
/// by the throttle and in the metrics, and is audited; a client that got a token starts afresh.
/// </summary>
internal sealed class TokenFailureRecorder(
    CredentialThrottle throttle, CredentialFailureAudit audit, AgentApplicationManager applications) : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public const string UniformDescription = "The client could not be authenticated, or may not have a token.";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseScopedHandler<TokenFailureRecorder>()
            .SetOrder(int.MinValue + 100_001)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        var clientId = context.Request?.ClientId;
        if (context.Response.AccessToken is not null)
        {
            throttle.RecordSuccess(clientId);
            return;
        }
        if (context.Response.Error != Errors.InvalidClient)
            return;

        // Unknown and known ids answer alike: the same error, description and status, and a secret
        // check against a decoy so an unknown id is not answered faster. The real reason goes to the audit log only.
        var reason = context.Response.ErrorDescription;
        context.Response.ErrorDescription = UniformDescription;
        context.Response.ErrorUri = null;
        if (clientId is { Length: > 0 } && context.Request?.ClientSecret is { } secret
            && await applications.FindByClientIdAsync(clientId, context.CancellationToken) is null)
            await applications.CheckAgainstDecoyAsync(secret, context.CancellationToken);

        var address = context.Transaction.GetHttpRequest()?.HttpContext.Connection.RemoteIpAddress;
        var count = throttle.RecordFailure(clientId, address);
        audit.Metrics.TokenFailed(Errors.InvalidClient);
        var now = throttle.Clock.GetUtcNow();
        await audit.RecordAsync(AuditActor.System, TokenAudit.Refused, clientId, new
        {
            clientId = CredentialFailureAudit.Truncate(clientId),
            address = address?.ToString(),
            method = context.Request?.ClientAssertion is not null ? ClientAuthenticationMethods.PrivateKeyJwt : "client_secret",
            reason,
            clientFailures = count.ClientFailures,
            addressFailures = count.AddressFailures,
            retryAfterSeconds = count.Next.RetryAfterSeconds(now),
        });
        if (count.LockoutStarted)
        {
            audit.Metrics.TokenLockout();
            await audit.RecordAsync(AuditActor.System, TokenAudit.LockedOut, clientId, new
            {
                clientId = CredentialFailureAudit.Truncate(clientId),
                address = address?.ToString(),
                until = count.Next.RetryAt,
            });
        }
    }
}

/// <summary>The audit kinds of the token endpoint's refusals.</summary>
public static class TokenAudit
{
    public const string Refused = "credentials.token_refused";
    public const string Throttled = "credentials.token_throttled";
    public const string LockedOut = "credentials.token_locked_out";
}
