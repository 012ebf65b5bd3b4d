using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Warden.Infrastructure.Identity;

namespace Warden.Tests.Support;

/// <summary>
/// Calls services of the running app as a given person, the way a circuit does: a DI scope whose
/// authentication state holds that person's principal.
/// </summary>
public static class ActingAs
{
    /// <summary>
    /// The principal a sign-in with a second factor would give <paramref name="email"/> right now: the
    /// person is enrolled (an authenticator key) and has just proved it, as tests act by default.
    /// </summary>
    public static async Task<ClaimsPrincipal> PrincipalForAsync(this WebApplicationFactory<Program> app, string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await PrincipalForAsync(scope.ServiceProvider, email);
    }

    /// <summary>
    /// The principal of a session that proved only what is asked: <paramref name="secondFactor"/> says
    /// whether it used a second factor, <paramref name="provedAt"/> when it last proved anything (none: never).
    /// The person's enrolment in the database is left as it is.
    /// </summary>
    public static async Task<ClaimsPrincipal> SessionForAsync(
        this WebApplicationFactory<Program> app, string email, bool secondFactor, DateTimeOffset? provedAt)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var principal = await BarePrincipalForAsync(scope.ServiceProvider, email);
        var identity = (ClaimsIdentity)principal.Identity!;
        foreach (var claim in ProofClaims.For(secondFactor, provedAt ?? DateTimeOffset.UnixEpoch)
                     .Where(c => provedAt is not null || c.Type != ProofClaims.ProvedAt))
            identity.AddClaim(claim);
        return principal;
    }

    public static async Task<T> AsUserAsync<TService, T>(this WebApplicationFactory<Program> app, string email, Func<TService, Task<T>> call)
        where TService : notnull
    {
        await using var scope = app.Services.CreateAsyncScope();
        var principal = await PrincipalForAsync(scope.ServiceProvider, email);
        return await CallAsync(scope.ServiceProvider, principal, call);
    }

    public static async Task<T> AsPrincipalAsync<TService, T>(this WebApplicationFactory<Program> app, ClaimsPrincipal principal, Func<TService, Task<T>> call)
        where TService : notnull
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await CallAsync(scope.ServiceProvider, principal, call);
    }

    /// <summary>Calls a service as <paramref name="email"/> in a session that proved only what is given (see <see cref="SessionForAsync"/>).</summary>
    public static async Task<T> AsSessionAsync<TService, T>(
        this WebApplicationFactory<Program> app, string email, bool secondFactor, DateTimeOffset? provedAt, Func<TService, Task<T>> call)
        where TService : notnull =>
        await app.AsPrincipalAsync(await app.SessionForAsync(email, secondFactor, provedAt), call);

    public static Task<T> AsAnonymousAsync<TService, T>(this WebApplicationFactory<Program> app, Func<TService, Task<T>> call)
        where TService : notnull =>
        app.AsPrincipalAsync(new ClaimsPrincipal(new ClaimsIdentity()), call);

    /// <summary>Sets <paramref name="principal"/> as the authentication state of <paramref name="scope"/>.</summary>
    public static void Authenticate(IServiceProvider scope, ClaimsPrincipal principal)
    {
        var provider = scope.GetRequiredService<AuthenticationStateProvider>();
        ((IHostEnvironmentAuthenticationStateProvider)provider)
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
    }

    private static async Task<ClaimsPrincipal> PrincipalForAsync(IServiceProvider scope, string email)
    {
        await SecondFactors.EnsureEnrolledAsync(scope.GetRequiredService<IServiceScopeFactory>(), email);
        var principal = await BarePrincipalForAsync(scope, email);
        ((ClaimsIdentity)principal.Identity!).AddClaims(
            ProofClaims.For(secondFactor: true, scope.GetRequiredService<TimeProvider>().GetUtcNow()));
        return principal;
    }

    private static async Task<ClaimsPrincipal> BarePrincipalForAsync(IServiceProvider scope, string email)
    {
        var users = scope.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(email)
            ?? throw new InvalidOperationException($"No user {email}.");
        return await scope.GetRequiredService<SignInManager<ApplicationUser>>().CreateUserPrincipalAsync(user);
    }

    private static Task<T> CallAsync<TService, T>(IServiceProvider scope, ClaimsPrincipal principal, Func<TService, Task<T>> call)
        where TService : notnull
    {
        Authenticate(scope, principal);
        return call(scope.GetRequiredService<TService>());
    }
}
