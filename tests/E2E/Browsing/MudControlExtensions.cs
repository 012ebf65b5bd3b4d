using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Warden.E2E.Browsing;

/// <summary>MudBlazor controls that are not native form elements.</summary>
public static class MudControlExtensions
{
    /// <summary>The MudSelect carrying <paramref name="testId"/>, whether on its root or on its inner input.</summary>
    public static ILocator MudSelect(this IPage page, string testId) =>
        page.Locator($".mud-select[data-testid='{testId}'], .mud-select:has([data-testid='{testId}'])").First;

    /// <summary>The option called <paramref name="text"/> in the open select popover.</summary>
    public static ILocator OpenOption(this IPage page, string text) =>
        page.Locator(".mud-popover-open .mud-list-item")
            .Filter(new() { HasTextRegex = new Regex($@"^\s*{Regex.Escape(text)}\s*$") })
            .First;

    /// <summary>
    /// Opens the select (retrying until the interactive circuit answers), picks each option and closes
    /// the popover again. A multi-select stays open after a pick, so Escape closes it.
    /// </summary>
    public static async Task ChooseAsync(this IPage page, string testId, params string[] options)
    {
        var select = page.MudSelect(testId);
        foreach (var option in options)
        {
            var item = page.OpenOption(option);
            await select.ClickUntilVisibleAsync(item);
            await item.ClickAsync();
        }
        var open = page.Locator(".mud-popover-open .mud-list-item").First;
        if (await open.IsVisibleAsync())
            await page.Keyboard.PressAsync("Escape");
        await open.WaitForAsync(new() { State = WaitForSelectorState.Hidden });
    }

    /// <summary>The text box behind a MudTextField or MudNumericField test id.</summary>
    public static ILocator MudInput(this IPage page, string testId) =>
        page.Locator($"input[data-testid='{testId}'], textarea[data-testid='{testId}'], "
            + $"[data-testid='{testId}'] input:not([type='hidden']), [data-testid='{testId}'] textarea").First;
}
