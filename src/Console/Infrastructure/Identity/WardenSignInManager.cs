using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Warden.Infrastructure.Identity;

/// <summary>
/// Refuses sign-in, and ends existing cookies at their next validation, for disabled accounts; stamps
/// every sign-in with what it proved (<see cref="ProofClaims"/>), and keeps those stamps, unrenewed,
/// when the cookie is only refreshed.
/// </summary>
public sealed class WardenSignInManager(
    UserManager<ApplicationUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ApplicationUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ApplicationUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ApplicationUser> confirmation,
    SignInAudit audit,
    TimeProvider clock)
    : SignInManager<ApplicationUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private IReadOnlyList<Claim>? _refreshedProof;
    private bool _passkey;

    public override async Task<bool> CanSignInAsync(ApplicationUser user) =>
        !user.IsDisabled && await base.CanSignInAsync(user);

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        if (await UserManager.FindByNameAsync(userName) is { } user)
            return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        await audit.RecordAsync(null, userName, SignInResult.Failed, lockoutStarted: false);
        return SignInResult.Failed;
    }

    public override async Task<SignInResult> CheckPasswordSignInAsync(ApplicationUser user, string password, bool lockoutOnFailure)
    {
        ArgumentNullException.ThrowIfNull(user);
        var lockedBefore = UserManager.SupportsUserLockout && await UserManager.IsLockedOutAsync(user);
        var result = await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure);
        await audit.RecordAsync(user, user.UserName, result, lockoutStarted: result.IsLockedOut && !lockedBefore);
        return result;
    }

    /// <summary>A wrong authenticator code at sign-in is audited and counted like a wrong password (it counts toward lockout too).</summary>
    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var lockedBefore = user is not null && UserManager.SupportsUserLockout && await UserManager.IsLockedOutAsync(user);
        var result = await base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient);
        if (user is not null)
            await audit.RecordAsync(user, user.UserName, result, lockoutStarted: result.IsLockedOut && !lockedBefore, wrong: "wrong_second_factor");
        return result;
    }

    /// <summary>A wrong recovery code at sign-in is audited and counted like a wrong authenticator code.</summary>
    public override async Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var lockedBefore = user is not null && UserManager.SupportsUserLockout && await UserManager.IsLockedOutAsync(user);
        var result = await base.TwoFactorRecoveryCodeSignInAsync(recoveryCode);
        if (user is not null)
            await audit.RecordAsync(user, user.UserName, result, lockoutStarted: result.IsLockedOut && !lockedBefore, wrong: "wrong_recovery_code");
        return result;
    }

    public override async Task<ApplicationUser?> ValidateSecurityStampAsync(ClaimsPrincipal? principal)
    {
        var user = await base.ValidateSecurityStampAsync(principal);
        return user is { IsDisabled: false } ? user : null;
    }

    public override async Task<SignInResult> PasskeySignInAsync(string credentialJson)
    {
        _passkey = true;
        try
        {
            return await base.PasskeySignInAsync(credentialJson);
        }
        finally
        {
            _passkey = false;
        }
    }

    public override async Task RefreshSignInAsync(ApplicationUser user)
    {
        var current = await Context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var proof = current.Principal is { } principal ? ProofClaims.Of(principal).ToList() : [];
        // A refresh after the second factor was removed must not keep claiming it.
        if (!await HasSecondFactorAsync(user))
            proof.RemoveAll(c => c.Type == ProofClaims.SecondFactor);
        _refreshedProof = proof;
        try
        {
            await base.RefreshSignInAsync(user);
        }
        finally
        {
            _refreshedProof = null;
        }
    }

    /// <summary>Renews the session's proof after the person confirmed their second factor again.</summary>
    public async Task ConfirmSecondFactorAsync(ApplicationUser user)
    {
        var current = await Context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        _refreshedProof = [.. ProofClaims.For(secondFactor: true, clock.GetUtcNow())];
        try
        {
            await SignInWithClaimsAsync(user, current.Properties ?? new AuthenticationProperties(), [new Claim("amr", "mfa")]);
        }
        finally
        {
            _refreshedProof = null;
        }
    }

    public override Task SignInWithClaimsAsync(ApplicationUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        var claims = additionalClaims.Where(c => c.Type is not (ProofClaims.SecondFactor or ProofClaims.ProvedAt)).ToList();
        if (_refreshedProof is not null)
            claims.AddRange(_refreshedProof);
        else
            claims.AddRange(ProofClaims.For(_passkey || claims.Any(c => c is { Type: "amr", Value: "mfa" }), clock.GetUtcNow()));
        return base.SignInWithClaimsAsync(user, authenticationProperties, claims);
    }

    private async Task<bool> HasSecondFactorAsync(ApplicationUser user) =>
        await UserManager.GetTwoFactorEnabledAsync(user) || (await UserManager.GetPasskeysAsync(user)).Count > 0;
}
