using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Domain;
using Warden.Domain.People;
using Warden.Persistence;

namespace Warden.Infrastructure.Identity;

/// <summary>
/// The service-layer check behind every query and command: the caller is signed in, still enabled,
/// and holds one of the roles, all read fresh from the database rather than from the cookie.
/// Commands also need an officer's or administrator's second factor (<see cref="RequireToActAsync"/>),
/// and the most dangerous of them a recent proof (<see cref="RequireStepUpAsync"/>).
/// </summary>
public sealed class AccessGuard(
    AuthenticationStateProvider authentication,
    IHttpContextAccessor http,
    IDbContextFactory<WardenDbContext> contexts,
    IOptions<SessionOptions> sessions,
    TimeProvider clock)
{
    /// <summary>For queries: the person holds one of the roles.</summary>
    public async Task<Result<Actor>> RequireAsync(params string[] anyOfRoles) =>
        await RequireAsync(await CurrentPrincipalAsync(), anyOfRoles);

    /// <summary>For commands: the person holds one of the roles and, if an officer or administrator, acts with a second factor.</summary>
    public async Task<Result<Actor>> RequireToActAsync(params string[] anyOfRoles)
    {
        var access = await RequireAsync(anyOfRoles);
        return access.IsFailure ? access : RequireSecondFactor(access.Value);
    }

    /// <summary>For the most dangerous commands: as <see cref="RequireToActAsync"/>, and proved recently (step-up).</summary>
    public async Task<Result<Actor>> RequireStepUpAsync(params string[] anyOfRoles)
    {
        var access = await RequireToActAsync(anyOfRoles);
        if (access.IsFailure)
            return access;
        var fresh = RequireRecentProof(access.Value);
        return fresh.IsFailure ? fresh.Error : access;
    }

    /// <summary>Step-up for a command that learns only after loading it whether it is dangerous (a critical approval).</summary>
    public Result RequireRecentProof(Actor actor) =>
        actor.ProvedWithin(sessions.Value.StepUpWindow, clock.GetUtcNow()) ? Result.Success() : PersonErrors.StepUpRequired;

    public static Result<Actor> RequireSecondFactor(Actor actor) =>
        !actor.MustUseSecondFactor || (actor.SecondFactorEnrolled && actor.SessionUsedSecondFactor)
            ? actor
            : PersonErrors.SecondFactorRequired;

    public async Task<Result<Actor>> RequireAsync(ClaimsPrincipal principal, params string[] anyOfRoles)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (principal.Identity?.IsAuthenticated != true || string.IsNullOrEmpty(id))
            return PersonErrors.NotSignedIn;

        await using var db = contexts.CreateDbContext();
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == id)
            .Select(u => new
            {
                u.Email,
                u.IsDisabled,
                u.DisplayName,
                Enrolled = u.TwoFactorEnabled || db.UserPasskeys.Any(p => p.UserId == u.Id),
            })
            .SingleOrDefaultAsync();
        if (user is null)
            return PersonErrors.NotSignedIn;
        if (user.IsDisabled)
            return PersonErrors.Disabled;

        var roles = await (from link in db.UserRoles
                           join role in db.Roles on link.RoleId equals role.Id
                           where link.UserId == id
                           select role.Name!).ToListAsync();
        var actor = new Actor(new UserId(id), user.Email ?? string.Empty, roles.ToHashSet(StringComparer.Ordinal), user.DisplayName)
        {
            SecondFactorEnrolled = user.Enrolled,
            SessionUsedSecondFactor = ProofClaims.HasSecondFactor(principal),
            ProvedAt = ProofClaims.ProvedAtOf(principal),
        };
        if (anyOfRoles.Length > 0 && !anyOfRoles.Any(actor.IsIn))
            return PersonErrors.Forbidden(anyOfRoles);
        return actor;
    }

    // Components get the person from the circuit's authentication state; plain endpoints (file
    // downloads) have no such state and use the request's principal instead.
    private async Task<ClaimsPrincipal> CurrentPrincipalAsync()
    {
        try
        {
            return (await authentication.GetAuthenticationStateAsync()).User;
        }
        catch (InvalidOperationException) when (http.HttpContext is { } context)
        {
            return context.User;
        }
    }
}
