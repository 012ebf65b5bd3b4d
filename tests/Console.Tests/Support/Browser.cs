using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Warden.Tests.Support;

/// <summary>
/// An HTTP client that behaves like a browser without JavaScript: it keeps cookies, does not follow
/// redirects (tests look at them), and signs in by filling in the real login form.
/// </summary>
public static class Browser
{
    public const string LoginPath = "/Account/Login";
    public const string AccessDeniedPath = "/Account/AccessDenied";
    public const string SecondFactorPath = "/Account/LoginWith2fa";

    public static HttpClient CreateBrowser(this WebApplicationFactory<Program> app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            BaseAddress = new Uri("http://localhost"),
        });

    /// <summary>
    /// A browser signed in as <paramref name="email"/>, giving the authenticator code when the person
    /// is enrolled (the demo people are); throws with the page's text if the login is refused.
    /// </summary>
    public static async Task<HttpClient> SignInAsync(this WebApplicationFactory<Program> app, string email, string password = DemoAccounts.Password)
    {
        var browser = app.CreateBrowser();
        try
        {
            await browser.SignInAsync(email, password);
        }
        catch
        {
            browser.Dispose();
            throw;
        }
        return browser;
    }

    /// <summary>
    /// Signs <paramref name="browser"/> in as <paramref name="email"/> (a browser of any app, such as one
    /// started as a process), giving the authenticator code when the person is enrolled; throws with
    /// the page's text if the login is refused.
    /// </summary>
    public static async Task SignInAsync(this HttpClient browser, string email, string password = DemoAccounts.Password)
    {
        var response = await browser.SubmitLoginAsync(email, password);
        if (response.StatusCode == HttpStatusCode.Redirect && IsSecondFactorPage(response))
        {
            var target = response.Headers.Location!.OriginalString;
            response.Dispose();
            response = await browser.SubmitSecondFactorAsync(target, SecondFactors.CurrentCode());
        }
        using var answered = response;
        if (response.StatusCode != HttpStatusCode.Redirect || IsSecondFactorPage(response))
        {
            var page = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException($"Login as {email} was refused ({(int)response.StatusCode}): {VisibleText(page)}");
        }
    }

    /// <summary>GETs the login page, then posts it back the way the browser would, antiforgery token included.</summary>
    public static async Task<HttpResponseMessage> SubmitLoginAsync(this HttpClient browser, string email, string password)
    {
        var page = await browser.GetStringAsync(LoginPath);
        var fields = HiddenFields(page, formName: "login");
        fields["Input.Email"] = email;
        fields["Input.Password"] = password;
        using var form = new FormUrlEncodedContent(fields);
        return await browser.PostAsync(LoginPath, form);
    }

    private static bool IsSecondFactorPage(HttpResponseMessage response) =>
        response.RedirectPath()?.TrimStart('/').Equals(SecondFactorPath.TrimStart('/'), StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Fills in the authenticator code on the second-factor page at <paramref name="pageUrl"/>.</summary>
    public static async Task<HttpResponseMessage> SubmitSecondFactorAsync(this HttpClient browser, string pageUrl, string code)
    {
        var page = await browser.GetStringAsync(pageUrl);
        var fields = HiddenFields(page, formName: "login-with-2fa");
        fields["Input.TwoFactorCode"] = code;
        using var form = new FormUrlEncodedContent(fields);
        return await browser.PostAsync(pageUrl, form);
    }

    /// <summary>The hidden inputs of the form whose Blazor form name (<c>_handler</c>) is <paramref name="formName"/>.</summary>
    public static Dictionary<string, string> HiddenFields(string html, string formName)
    {
        using var document = new HtmlParser().ParseDocument(html);
        var form = document.Forms.SingleOrDefault(f =>
                f.QuerySelector($"input[type=hidden][name=_handler][value='{formName}']") is not null)
            ?? throw new InvalidOperationException($"No form named '{formName}' on the page: {VisibleText(html)}");
        var fields = form.QuerySelectorAll("input[type=hidden]")
            .Where(i => i.GetAttribute("name") is { Length: > 0 })
            .ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? string.Empty, StringComparer.Ordinal);
        fields.ShouldContainKey("__RequestVerificationToken");
        return fields;
    }

    /// <summary>The text a reader would see in the page body, whitespace collapsed.</summary>
    public static string VisibleText(string html)
    {
        using var document = new HtmlParser().ParseDocument(html);
        foreach (var script in document.QuerySelectorAll("script, style").ToList())
            script.Remove();
        var text = document.Body?.TextContent ?? string.Empty;
        return string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The path of a redirect's target, whether the app sent it absolute or relative.</summary>
    public static string? RedirectPath(this HttpResponseMessage response)
    {
        var location = response.Headers.Location;
        if (location is null)
            return null;
        return location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0];
    }
}
