using System.Globalization;
using System.Security.Claims;

namespace Warden.Infrastructure.Identity;

/// <summary>
/// What a session has proved, carried in its protected cookie: whether the sign-in used a second
/// factor (an authenticator code, a recovery code or a passkey) and when the person last proved it
/// was them (a sign-in or a second-factor check). Refreshing the cookie keeps them; only a new proof
/// renews them.
/// </summary>
public static class ProofClaims
{
    public const string SecondFactor = "warden:second_factor";
    public const string ProvedAt = "warden:proved_at";

    public static IEnumerable<Claim> For(bool secondFactor, DateTimeOffset provedAt)
    {
        if (secondFactor)
            yield return new Claim(SecondFactor, "true");
        yield return new Claim(ProvedAt, provedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64);
    }

    public static bool HasSecondFactor(ClaimsPrincipal principal) =>
        principal.FindFirstValue(SecondFactor) == "true";

    public static DateTimeOffset? ProvedAtOf(ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirstValue(ProvedAt), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>The proof claims of <paramref name="from"/>, for a principal rebuilt from the database.</summary>
    public static IEnumerable<Claim> Of(ClaimsPrincipal from) =>
        from.Claims.Where(c => c.Type is SecondFactor or ProvedAt).Select(c => new Claim(c.Type, c.Value, c.ValueType));
}
