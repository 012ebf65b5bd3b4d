using Microsoft.AspNetCore.Identity;
using Warden.Domain.Audit;
using Warden.Infrastructure.AgentIdentity;

namespace Warden.Infrastructure.Identity;

/// <summary>Every refused sign-in of a person (wrong password, unknown account, locked out, not allowed) and every lockout it starts, audited and counted.</summary>
public sealed class SignInAudit(CredentialFailureAudit audit, IHttpContextAccessor http)
{
    public const string Failed = "person.sign_in_failed";
    public const string LockedOut = "person.locked_out";

    /// <param name="wrong">What was wrong when the person is known, allowed and not locked out: the password, or the second factor.</param>
    public async Task RecordAsync(ApplicationUser? user, string? userName, SignInResult result, bool lockoutStarted, string wrong = "wrong_password")
    {
        if (result.Succeeded || result.RequiresTwoFactor)
            return;
        var reason = user is null ? "unknown_account"
            : result.IsLockedOut && !lockoutStarted ? "locked_out"
            : result.IsNotAllowed ? "not_allowed"
            : wrong;
        var actor = user is null ? AuditActor.System : AuditActor.Person(user.Id, user.Email ?? user.UserName ?? user.Id);
        var subject = user?.Id ?? userName;
        var address = http.HttpContext?.Connection.RemoteIpAddress?.ToString();
        audit.Metrics.SignInFailed(reason);
        await audit.RecordAsync(actor, Failed, subject, new { userName = CredentialFailureAudit.Truncate(userName ?? user?.UserName), reason, address });
        if (lockoutStarted)
        {
            await audit.RecordAsync(actor, LockedOut, subject, new { userName = CredentialFailureAudit.Truncate(userName ?? user?.UserName), address, until = user?.LockoutEnd });
        }
    }
}
