using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Warden.Infrastructure.Identity;

namespace Warden.Client.Tests.Support;

/// <summary>Calls the console's services as one of the demo people, the way a page signed in with the second factor does.</summary>
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
        // A page of a person who signed in just now with their second factor (the demo people are enrolled).
        ((System.Security.Claims.ClaimsIdentity)principal.Identity!).AddClaims(
            ProofClaims.For(secondFactor: true, scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow()));
        var state = (IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        state.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        return await call(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
