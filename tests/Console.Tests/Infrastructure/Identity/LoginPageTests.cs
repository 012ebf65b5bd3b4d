using System.Net;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.Identity;

[Collection(AppCollection.Name)]
public sealed class LoginPageTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private const string SessionCookie = "Warden.Session=";

    [Fact]
    public async Task Login_WithAWrongPassword_ShowsInvalidEmailOrPasswordAndNoStackTrace()
    {
        using var browser = app.CreateBrowser();

        using var response = await browser.SubmitLoginAsync(DemoAccounts.Officer2, "Not-The-Password-1");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Browser.VisibleText(html).ShouldContain("Invalid email or password");
        html.ShouldNotContain("Exception", Case.Insensitive);
        html.ShouldNotContain("   at ");
        SessionCookies(response).ShouldBeEmpty();
    }

    [Fact]
    public async Task Login_WithAnUnknownEmail_ShowsTheSameMessageAsAWrongPassword()
    {
        using var browser = app.CreateBrowser();

        using var response = await browser.SubmitLoginAsync("nobody@warden.example", DemoAccounts.Password);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = Browser.VisibleText(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        text.ShouldContain("Invalid email or password");
    }

    [Fact]
    public async Task Login_WithTheRightPasswordAndCode_RedirectsWithAStrictHttpOnlySessionCookie()
    {
        using var browser = app.CreateBrowser();
        using var password = await browser.SubmitLoginAsync(DemoAccounts.Auditor, DemoAccounts.Password);

        using var response = await browser.SubmitSecondFactorAsync(password.Headers.Location!.OriginalString, SecondFactors.CurrentCode());

        SessionCookies(password).ShouldBeEmpty("the demo people are enrolled: the password alone gives no session");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var session = SessionCookies(response).ShouldHaveSingleItem();
        session.ShouldContain("httponly", Case.Insensitive);
        session.ShouldContain("samesite=strict", Case.Insensitive);
    }

    [Fact]
    public async Task Login_PostedWithoutTheAntiforgeryToken_IsRefused()
    {
        using var browser = app.CreateBrowser();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.Email"] = DemoAccounts.Auditor,
            ["Input.Password"] = DemoAccounts.Password,
        });

        using var response = await browser.PostAsync(Browser.LoginPath, form, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        SessionCookies(response).ShouldBeEmpty();
    }

    [Fact]
    public async Task Dashboard_ForAnAnonymousVisitor_RedirectsToLoginWithTheReturnUrl()
    {
        using var browser = app.CreateBrowser();

        using var response = await browser.GetAsync("/", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.RedirectPath().ShouldBe(Browser.LoginPath);
        response.Headers.Location!.OriginalString.ShouldContain("ReturnUrl=%2F");
    }

    private static IEnumerable<string> SessionCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Where(v => v.StartsWith(SessionCookie, StringComparison.Ordinal))
            : [];
}
