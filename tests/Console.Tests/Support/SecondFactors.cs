using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Warden.Infrastructure.Identity;

namespace Warden.Tests.Support;

/// <summary>Enrols test people with the demo authenticator key, and gives its current code.</summary>
public static class SecondFactors
{
    public const string Key = DemoPeople.AuthenticatorKey;

    public static string CurrentCode() => Totp.Code(Key, DateTimeOffset.UtcNow);

    public static async Task EnrolAsync(IServiceProvider scope, ApplicationUser user)
    {
        var users = scope.GetRequiredService<UserManager<ApplicationUser>>();
        var keys = (IUserAuthenticatorKeyStore<ApplicationUser>)scope.GetRequiredService<IUserStore<ApplicationUser>>();
        await keys.SetAuthenticatorKeyAsync(user, Key, CancellationToken.None);
        var enabled = await users.SetTwoFactorEnabledAsync(user, true);
        enabled.Succeeded.ShouldBeTrue(string.Join(" ", enabled.Errors.Select(e => e.Description)));
    }
}
