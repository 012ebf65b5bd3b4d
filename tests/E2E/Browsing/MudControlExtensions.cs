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
        // Escape reaches the select only while it has the focus; when a re-render moved the focus away,
        // focus the select's input again and repeat.
        var open = page.Locator(".mud-popover-open .mud-list-item").First;
        for (var attempt = 1; await open.IsVisibleAsync(); attempt++)
        {
            if (attempt > 1)
                await select.Locator("input").First.FocusAsync();
            await page.Keyboard.PressAsync("Escape");
            try
            {
                await open.WaitForAsync(new() { State = WaitForSelectorState.Hidden, Timeout = 2_000 });
            }
            catch (TimeoutException) when (attempt < 5)
            {
            }
        }
    }

    /// <summary>The text box behind a MudTextField or MudNumericField test id.</summary>
    public static ILocator MudInput(this IPage page, string testId) =>
        page.Locator($"input[data-testid='{testId}'], textarea[data-testid='{testId}'], "
            + $"[data-testid='{testId}'] input:not([type='hidden']), [data-testid='{testId}'] textarea").First;
}
