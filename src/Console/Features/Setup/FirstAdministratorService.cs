using Microsoft.AspNetCore.Identity;
using Warden.Domain;
using Warden.Domain.People;
using Warden.Infrastructure.Identity;

namespace Warden.Features.Setup;

/// <summary>Creates the first administrator through the one-time link printed at start-up.</summary>
public sealed class FirstAdministratorService(FirstRunSetup setup, PeopleSeeder people, IServiceScopeFactory scopes, TimeProvider clock)
{
    private static readonly Error LinkInvalid = new("setup.link_invalid", "This set-up link is not valid any more.");

    public bool IsLinkValid(string? token) => setup.Matches(token);

    public async Task<Result> CreateAsync(string? token, string email, string password)
    {
        if (!setup.Matches(token) || await people.AnyActiveAdministratorAsync())
            return LinkInvalid;

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = email.Trim(), Email = email.Trim(), EmailConfirmed = true, CreatedAt = clock.GetUtcNow() };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
            return new Error("setup.invalid", string.Join(" ", created.Errors.Select(e => e.Description)));
        if (!setup.TryConsume(token))
        {
            await users.DeleteAsync(user);
            return LinkInvalid;
        }
        await users.AddToRoleAsync(user, Roles.Administrator);
        return Result.Success();
    }
}
