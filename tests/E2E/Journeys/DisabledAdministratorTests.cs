using System.Diagnostics;
using Microsoft.Playwright;
using Warden.E2E.Browsing;
using Warden.E2E.Hosting;

namespace Warden.E2E.Journeys;

[Collection(ConsoleCollection.Name)]
public sealed class DisabledAdministratorTests(ConsoleFixture console)
{
    private const string SecondAdmin = "admin2@warden.example";
    private const string SecondAdminPassword = "Warden-Second-2";

    [Fact]
    public async Task DisablingAnAdministrator_RefusesTheirNextAction_EndsTheirSession_AndBlocksSignIn()
    {
        var admin = await console.OpenPageAsync();
        await admin.SignInAsync("admin@warden.example");
        await admin.GotoAsync("/admin/users");
        await CreateUserAsync(admin, SecondAdmin, "Second Administrator", SecondAdminPassword, "Administrator");
        await admin.GetByText($"Added {SecondAdmin}.").WaitForAsync();
        await admin.GetByTestId($"user-row-{SecondAdmin}").WaitForAsync();

        var second = await console.OpenPageAsync();
        // An administrator must enrol a second factor before acting; enrolling renews the session's cookie.
        await second.SignInAndEnrolAuthenticatorAsync(SecondAdmin, SecondAdminPassword);
        var sinceSignIn = Stopwatch.StartNew();
        await second.GotoAsync("/admin/users");
        await second.GetByTestId($"user-row-{SecondAdmin}").WaitForAsync();

        await admin.GetByTestId($"disable-{SecondAdmin}").ClickUntilVisibleAsync(admin.GetByTestId("confirm-disable"));
        await admin.GetByTestId("confirm-disable").ClickAsync();
        await admin.GetByText($"Disabled {SecondAdmin}.").WaitForAsync();
        await admin.GetByTestId($"enable-{SecondAdmin}").WaitForAsync();

        await CreateUserAsync(second, "refused@warden.example", "Should Not Exist", "Refused-Person-9", "Auditor");
        await second.GetByText("Your account is disabled.").WaitForAsync();
        sinceSignIn.Elapsed.ShouldBeLessThan(WardenServer.RevalidationInterval,
            "the open page must still be on its first revalidation period when it clicks, or the refusal came from the sign-out rather than the service");

        await admin.ReloadAsync();
        await admin.GetByTestId($"user-row-{SecondAdmin}").WaitForAsync();
        (await admin.GetByTestId("user-row-refused@warden.example").CountAsync()).ShouldBe(0);
        await admin.SaveScreenshotAsync("admin-users");

        var untilCookieRecheck = WardenServer.RevalidationInterval - sinceSignIn.Elapsed + TimeSpan.FromSeconds(1);
        if (untilCookieRecheck > TimeSpan.Zero)
            await Task.Delay(untilCookieRecheck, TestContext.Current.CancellationToken);
        await second.ReloadAsync();
        await second.WaitForURLAsync(ConsolePageExtensions.LoginUrl());
        await second.GotoAsync("/admin/users");
        await second.WaitForURLAsync(ConsolePageExtensions.LoginUrl());
        (await second.GetByTestId("signed-in-user").CountAsync()).ShouldBe(0);

        await second.SubmitLoginAsync(SecondAdmin, SecondAdminPassword);
        await second.GetByText("Invalid email or password").WaitForAsync();
        second.Url.ShouldMatch(ConsolePageExtensions.LoginUrl().ToString());

        await second.Context.CloseAsync();
        await admin.Context.CloseAsync();
    }

    private static async Task CreateUserAsync(IPage page, string email, string displayName, string password, string roleLabel)
    {
        var dialog = page.GetByRole(AriaRole.Dialog);
        await page.GetByTestId("create-user").ClickUntilVisibleAsync(dialog.GetByLabel("Email", new() { Exact = true }));
        await dialog.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await dialog.GetByLabel("Display name", new() { Exact = true }).FillAsync(displayName);
        await dialog.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await dialog.GetByLabel(roleLabel, new() { Exact = true }).CheckAsync();
        await dialog.GetByTestId("create-user-submit").ClickAsync();
    }
}
