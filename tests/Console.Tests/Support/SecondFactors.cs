using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Warden.Infrastructure.Identity;

namespace Warden.Tests.Support;

/// <summary>Enrols test people with the demo authenticator key, and gives its current code.</summary>
public static class SecondFactors
{
    public const string Key = DemoPeople.AuthenticatorKey;

    public static string CurrentCode() => Totp.Code(Key, DateTimeOffset.UtcNow);

    private static readonly SemaphoreSlim Enrolment = new(1, 1);

    /// <summary>Enrols <paramref name="email"/> unless already enrolled; safe when many calls race for one new person.</summary>
    public static async Task EnsureEnrolledAsync(IServiceScopeFactory scopes, string email)
    {
        if (await IsEnrolledAsync(scopes, email))
            return;
        await Enrolment.WaitAsync();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email)
                ?? throw new InvalidOperationException($"No user {email}.");
            if (!user.TwoFactorEnabled)
                await EnrolAsync(scope.ServiceProvider, user);
        }
        finally
        {
            Enrolment.Release();
        }
    }

    private static async Task<bool> IsEnrolledAsync(IServiceScopeFactory scopes, string email)
    {
        await using var scope = scopes.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email)
            ?? throw new InvalidOperationException($"No user {email}.");
        return user.TwoFactorEnabled;
    }

    public static async Task EnrolAsync(IServiceProvider scope, ApplicationUser user)
    {
        var users = scope.GetRequiredService<UserManager<ApplicationUser>>();
        var keys = (IUserAuthenticatorKeyStore<ApplicationUser>)scope.GetRequiredService<IUserStore<ApplicationUser>>();
        await keys.SetAuthenticatorKeyAsync(user, Key, CancellationToken.None);
        var enabled = await users.SetTwoFactorEnabledAsync(user, true);
        enabled.Succeeded.ShouldBeTrue(string.Join(" ", enabled.Errors.Select(e => e.Description)));
    }
}
