using Warden.E2E.Browsing;
using Warden.E2E.Hosting;

namespace Warden.E2E.Journeys;

[Collection(ConsoleCollection.Name)]
public sealed class AnonymousAccessTests(ConsoleFixture console)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/admin/users")]
    public async Task Visiting_WithoutSigningIn_IsSentToLogin(string path)
    {
        var page = await console.OpenPageAsync();

        await page.GotoAsync(path);

        await page.WaitForURLAsync(ConsolePageExtensions.LoginUrl());
        new Uri(page.Url).AbsolutePath.ShouldBe("/Account/Login");
        (await page.GetByTestId("signed-in-user").CountAsync()).ShouldBe(0);
        (await page.Locator("[data-testid^='user-row-']").CountAsync()).ShouldBe(0);
        await page.Context.CloseAsync();
    }
}
