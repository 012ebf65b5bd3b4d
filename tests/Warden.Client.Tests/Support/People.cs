using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Warden.Infrastructure.Identity;

namespace Warden.Client.Tests.Support;

/// <summary>Calls the console's services as one of the demo people, the way a signed-in page does.</summary>
public static class People
{
    public const string Officer = "officer@warden.example";
    public const string Owner = "owner@warden.example";

    public static async Task<T> AsAsync<TService, T>(this WardenHost host, string email, Func<TService, Task<T>> call)
        where TService : notnull
    {
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No user {email}.");
        var principal = await scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>().CreateUserPrincipalAsync(user);
        var state = (IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        state.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        return await call(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
