using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Warden.Infrastructure.Identity;

namespace Warden.LoadBench;

/// <summary>
/// Calls a service of an app hosted in the harness's process as a person would from their circuit:
/// in a fresh DI scope, signed in just now with their second factor (the demo people are enrolled).
/// </summary>
public static class SignedInCalls
{
    public static async Task<T> AsUserAsync<TService, T>(IServiceProvider services, string email, Func<TService, Task<T>> call)
        where TService : notnull
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(call);
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No user {email}.");
        ClaimsPrincipal principal = await scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>().CreateUserPrincipalAsync(user);
        ((ClaimsIdentity)principal.Identity!).AddClaims(ProofClaims.For(secondFactor: true, scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow()));
        var state = (IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        state.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        return await call(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
