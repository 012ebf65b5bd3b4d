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

    public async Task<int> SeedDemoPeopleAsync(string password)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var created = 0;
        foreach (var person in DemoPeople.All)
        {
            if (await users.FindByEmailAsync(person.Email) is not null)
                continue;
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
            created++;
        }
        return created;
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
