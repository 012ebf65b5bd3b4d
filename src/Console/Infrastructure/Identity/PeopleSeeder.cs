using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Warden.Domain.People;
using Warden.Infrastructure.Hosting;

namespace Warden.Infrastructure.Identity;

/// <summary>Creates the roles on every start and, with --demo, the demo people once.</summary>
public sealed class PeopleSeeder(IServiceScopeFactory scopes, TimeProvider clock)
{
    public async Task EnsureRolesAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
                Check(await roles.CreateAsync(new IdentityRole(role)), role);
        }
    }

    /// <summary>Creates the demo people that are missing, each enrolled with the documented demo authenticator key.</summary>
    public async Task<int> SeedDemoPeopleAsync(string password, string authenticatorKey = DemoPeople.AuthenticatorKey)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var keys = (IUserAuthenticatorKeyStore<ApplicationUser>)scope.ServiceProvider.GetRequiredService<IUserStore<ApplicationUser>>();
        var created = 0;
        foreach (var person in DemoPeople.All)
        {
            if (await users.FindByEmailAsync(person.Email) is { } existing)
            {
                // Demo data from before second factors were required: enrol it too.
                if (!existing.TwoFactorEnabled)
                    await EnrolAsync(users, keys, existing, authenticatorKey);
                continue;
            }
            var user = new ApplicationUser
            {
                UserName = person.Email,
                Email = person.Email,
                EmailConfirmed = true,
                DisplayName = person.DisplayName,
                CreatedAt = clock.GetUtcNow(),
            };
            Check(await users.CreateAsync(user, password), person.Email);
            Check(await users.AddToRoleAsync(user, person.Role), person.Email);
            await EnrolAsync(users, keys, user, authenticatorKey);
            created++;
        }
        return created;
    }

    private static async Task EnrolAsync(
        UserManager<ApplicationUser> users, IUserAuthenticatorKeyStore<ApplicationUser> keys, ApplicationUser user, string authenticatorKey)
    {
        await keys.SetAuthenticatorKeyAsync(user, authenticatorKey, CancellationToken.None);
        Check(await users.SetTwoFactorEnabledAsync(user, true), user.Email ?? user.Id);
    }

    public async Task<bool> AnyActiveAdministratorAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var admins = await users.GetUsersInRoleAsync(Roles.Administrator);
        return admins.Any(a => !a.IsDisabled);
    }

    private static void Check(IdentityResult result, string subject)
    {
        if (!result.Succeeded)
            throw new StartupException($"Cannot create {subject}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
    }
}
