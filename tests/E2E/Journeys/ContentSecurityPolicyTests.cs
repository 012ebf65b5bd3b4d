using Microsoft.Playwright;
using Warden.E2E.Browsing;
using Warden.E2E.Hosting;

namespace Warden.E2E.Journeys;

/// <summary>The console works under its Content-Security-Policy: sign-in, the interactive circuit and a MudBlazor dialog, with nothing refused.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ContentSecurityPolicyTests(ConsoleFixture console)
{
    [Fact]
    public async Task Console_UnderItsPolicy_SignsInOpensADialogAndTheBrowserRefusesNothing()
    {
        var page = await console.OpenPageAsync();
        var refused = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || message.Text.Contains("Refused to", StringComparison.Ordinal))
                refused.Add(message.Text);
        };
        page.PageError += (_, error) => refused.Add(error);

        await page.SignInAsync("officer@warden.example");
        await page.GotoAsync("/containment");
        var dialogPhrase = page.GetByTestId("kill-phrase");
        await page.GetByTestId("kill-all").ClickUntilVisibleAsync(dialogPhrase);
        await dialogPhrase.FillAsync("typed under the policy");

        (await dialogPhrase.InputValueAsync()).ShouldBe("typed under the policy");
        refused.ShouldBeEmpty();
        await page.Context.CloseAsync();
    }
}
