using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.People;
using Warden.Persistence;

namespace Warden.Infrastructure.Identity;

/// <summary>
/// The service-layer check behind every query and command: the caller is signed in, still enabled,
/// and holds one of the roles, all read fresh from the database rather than from the cookie.
/// </summary>
public sealed class AccessGuard(
    AuthenticationStateProvider authentication,
    IHttpContextAccessor http,
    IDbContextFactory<WardenDbContext> contexts)
{
    public async Task<Result<Actor>> RequireAsync(params string[] anyOfRoles) =>
        await RequireAsync(await CurrentPrincipalAsync(), anyOfRoles);

    public async Task<Result<Actor>> RequireAsync(ClaimsPrincipal principal, params string[] anyOfRoles)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (principal.Identity?.IsAuthenticated != true || string.IsNullOrEmpty(id))
            return PersonErrors.NotSignedIn;

        await using var db = contexts.CreateDbContext();
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == id)
            .Select(u => new { u.Email, u.IsDisabled, u.DisplayName })
            .SingleOrDefaultAsync();
        if (user is null)
            return PersonErrors.NotSignedIn;
        if (user.IsDisabled)
            return PersonErrors.Disabled;

        var roles = await (from link in db.UserRoles
                           join role in db.Roles on link.RoleId equals role.Id
                           where link.UserId == id
                           select role.Name!).ToListAsync();
        var actor = new Actor(new UserId(id), user.Email ?? string.Empty, roles.ToHashSet(StringComparer.Ordinal), user.DisplayName);
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
