using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Warden.E2E.Browsing;

public static partial class ConsolePageExtensions
{
    public const string DemoPassword = "Warden-Demo-1";

    /// <summary>
    /// The first sign-ins of a run meet a server that is still warming up while its demo agents run
    /// (the password hash, the first render of each page, its scripts): their page loads get longer
    /// than the 20 s every other step has.
    /// </summary>
    private static readonly PageWaitForURLOptions SignInNavigation = new() { Timeout = 60_000 };

    [GeneratedRegex(@"/Account/Login(\?|$)")]
    public static partial Regex LoginUrl();

    [GeneratedRegex(@"/Account/LoginWith2fa(\?|$)")]
    public static partial Regex SecondFactorUrl();

    /// <summary>
    /// Signs in as README describes: the password, then, for a person enrolled with an authenticator
    /// (every demo person is), the code the demo shows on the second-factor page.
    /// </summary>
    public static async Task SignInAsync(this IPage page, string email, string password = DemoPassword)
    {
        if (!LoginUrl().IsMatch(page.Url))
            await page.GotoAsync("/Account/Login");
        await page.SubmitLoginAsync(email, password);
        await page.WaitForURLAsync(url => !LoginUrl().IsMatch(url), SignInNavigation);
        if (SecondFactorUrl().IsMatch(page.Url))
        {
            var code = await page.GetByTestId("demo-code-value").InnerTextAsync();
            await page.GetByLabel("Authenticator code", new() { Exact = true }).FillAsync(code);
            await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
            await page.WaitForURLAsync(url => !SecondFactorUrl().IsMatch(url), SignInNavigation);
        }
        await page.GetByTestId("signed-in-user").WaitForAsync();
    }

    /// <summary>
    /// Signs in a person without a second factor (password only) and enrols an authenticator app the
    /// way a person would: reads the key the page shows and types the code an app would give.
    /// </summary>
    public static async Task SignInAndEnrolAuthenticatorAsync(this IPage page, string email, string password)
    {
        if (!LoginUrl().IsMatch(page.Url))
            await page.GotoAsync("/Account/Login");
        await page.SubmitLoginAsync(email, password);
        await page.WaitForURLAsync(url => !LoginUrl().IsMatch(url));
        await page.GotoAsync("/Account/Manage/EnableAuthenticator");
        var key = (await page.Locator("kbd").First.InnerTextAsync()).Replace(" ", string.Empty, StringComparison.Ordinal);
        await page.GetByLabel("Verification Code", new() { Exact = true }).FillAsync(Warden.Infrastructure.Identity.Totp.Code(key, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify", Exact = true }).ClickAsync();
        await page.GetByText("Your authenticator app has been verified.").WaitForAsync();
    }

    public static async Task SubmitLoginAsync(this IPage page, string email, string password)
    {
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
    }

    /// <summary>
    /// Clicks until <paramref name="effect"/> shows: a click that lands before the interactive circuit
    /// has attached its handlers does nothing, so the first attempts may need repeating.
    /// </summary>
    public static async Task ClickUntilVisibleAsync(this ILocator target, ILocator effect, int attempts = 15)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await effect.IsVisibleAsync())
                return;
            try
            {
                await target.ClickAsync(new() { Timeout = 5_000 });
                await effect.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 1_500 });
                return;
            }
            catch (TimeoutException) when (attempt < attempts)
            {
            }
        }
    }

    public static async Task<IReadOnlyList<string>> NavigationTestIdsAsync(this IPage page)
    {
        await page.GetByTestId("nav-dashboard").WaitForAsync();
        var ids = await page.Locator("[data-testid^='nav-']")
            .EvaluateAllAsync<string[]>("nodes => nodes.map(n => n.getAttribute('data-testid'))");
        return ids.Distinct(StringComparer.Ordinal).ToList();
    }

    public static async Task SaveScreenshotAsync(this IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("WARDEN_SCREENSHOTS");
        if (string.IsNullOrWhiteSpace(folder))
            return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }
}
