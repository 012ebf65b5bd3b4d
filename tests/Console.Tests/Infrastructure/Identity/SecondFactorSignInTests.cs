using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Warden.Domain.People;
using Warden.Infrastructure.Identity;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.Identity;

/// <summary>
/// What the real sign-in pages put in the session cookie, read back from the cookie itself: a password
/// alone proves no second factor, a wrong code proves nothing, and confirming the code renews a stale session.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SecondFactorSignInTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private const string SessionCookie = "Warden.Session";

    [Fact]
    public async Task PasswordThenCode_OfAnEnrolledOfficer_GivesASessionThatProvedASecondFactorJustNow()
    {
        using var browser = app.CreateBrowser();
        using var login = await browser.SubmitLoginAsync(DemoAccounts.Officer, DemoAccounts.Password);

        using var answered = await browser.SubmitSecondFactorAsync(login.Headers.Location!.OriginalString, SecondFactors.CurrentCode());

        login.RedirectPath()!.ShouldEndWith("Account/LoginWith2fa");
        SessionIn(login).ShouldBeNull("the password alone must not give a session");
        var session = SessionIn(answered).ShouldNotBeNull();
        ProofClaims.HasSecondFactor(session).ShouldBeTrue();
        ProofClaims.ProvedAtOf(session)!.Value.ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(5));
    }

    [Fact]
    public async Task PasswordWithAGuessedCode_OfAnEnrolledOfficer_GivesNoSession()
    {
        using var browser = app.CreateBrowser();
        using var login = await browser.SubmitLoginAsync(DemoAccounts.Officer2, DemoAccounts.Password);

        using var answered = await browser.SubmitSecondFactorAsync(login.Headers.Location!.OriginalString, WrongCode());
        using var home = await browser.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);

        SessionIn(answered).ShouldBeNull();
        home.RedirectPath().ShouldBe(Browser.LoginPath);
    }

    [Fact]
    public async Task AGuessedCode_AtSignIn_IsAuditedAsAWrongSecondFactor()
    {
        var person = await app.InScopeAsync(async sp => (await sp.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(DemoAccounts.Admin))!.Id);
        using var browser = app.CreateBrowser();
        using var login = await browser.SubmitLoginAsync(DemoAccounts.Admin, DemoAccounts.Password);

        using var answered = await browser.SubmitSecondFactorAsync(login.Headers.Location!.OriginalString, WrongCode());

        SessionIn(answered).ShouldBeNull();
        var failures = await app.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Warden.Persistence.WardenDbContext>>().CreateDbContextAsync();
            return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
                db.AuditEvents.Where(e => e.Kind == SignInAudit.Failed && e.Subject == person).Select(e => e.Data));
        });
        failures.ShouldContain(data => data.Contains("wrong_second_factor"));
    }

    [Fact]
    public async Task PasswordAlone_OfAnOfficerNeverEnrolled_IsSentToEnrolInsteadOfTheConsole()
    {
        var email = await NewUnenrolledAsync(Roles.SecurityOfficer);
        using var browser = await app.SignInAsync(email, TestPeople.Password);

        using var home = await browser.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);
        using var containment = await browser.GetAsync(new Uri("/containment", UriKind.Relative), TestContext.Current.CancellationToken);
        var page = await browser.GetStringAsync(new Uri(home.Headers.Location!.OriginalString, UriKind.RelativeOrAbsolute), TestContext.Current.CancellationToken);

        home.RedirectPath().ShouldBe(ProofPaths.ConfirmPath);
        containment.RedirectPath().ShouldBe(ProofPaths.ConfirmPath);
        containment.Headers.Location!.OriginalString.ShouldContain("returnUrl=%2Fcontainment");
        Browser.VisibleText(page).ShouldContain("You have no second factor yet");
    }

    [Fact]
    public async Task PasswordAlone_OfAnOwnerNeverEnrolled_ReachesTheConsole()
    {
        var email = await NewUnenrolledAsync(Roles.AgentOwner);
        using var browser = await app.SignInAsync(email, TestPeople.Password);

        using var home = await browser.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);

        home.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ConfirmIdentity_WithAGuessedCode_LeavesAStaleSessionStale()
    {
        var jar = new CookieJar(app, await ForgedSessionAsync(DemoAccounts.Officer, DateTimeOffset.UtcNow.AddMinutes(-30)));

        using var answered = await jar.SubmitConfirmAsync("/containment", WrongCode());

        answered.StatusCode.ShouldBe(HttpStatusCode.OK);
        Browser.VisibleText(await answered.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("not valid");
        SessionIn(answered).ShouldBeNull();
    }

    [Fact]
    public async Task ConfirmIdentity_WithTheRightCode_RenewsAStaleSessionAndReturnsToThePage()
    {
        var jar = new CookieJar(app, await ForgedSessionAsync(DemoAccounts.Officer, DateTimeOffset.UtcNow.AddMinutes(-30)));

        using var answered = await jar.SubmitConfirmAsync("/containment", SecondFactors.CurrentCode());

        answered.RedirectPath().ShouldBe("/containment");
        var session = SessionIn(answered).ShouldNotBeNull();
        ProofClaims.ProvedAtOf(session)!.Value.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-1));
        ProofClaims.HasSecondFactor(session).ShouldBeTrue();
        session.FindFirstValue(ClaimTypes.Email).ShouldBe(DemoAccounts.Officer);
    }

    [Fact]
    public async Task ConfirmIdentity_WithAReturnAddressOnAnotherHost_ReturnsHome()
    {
        var jar = new CookieJar(app, await ForgedSessionAsync(DemoAccounts.Officer2, DateTimeOffset.UtcNow.AddMinutes(-30)));

        using var answered = await jar.SubmitConfirmAsync("//evil.example/steal", SecondFactors.CurrentCode());

        answered.RedirectPath().ShouldBe("/");
    }

    // A code from twenty minutes ahead: well formed, and outside the window any authenticator accepts.
    private static string WrongCode() => Totp.Code(SecondFactors.Key, DateTimeOffset.UtcNow.AddMinutes(20));

    private ISecureDataFormat<AuthenticationTicket> Tickets =>
        app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme).TicketDataFormat;

    private ClaimsPrincipal? SessionIn(HttpResponseMessage response)
    {
        var value = response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Select(c => c.Split(';')[0]).LastOrDefault(c => c.StartsWith(SessionCookie + "=", StringComparison.Ordinal))?[(SessionCookie.Length + 1)..]
            : null;
        return string.IsNullOrEmpty(value) ? null : Tickets.Unprotect(value)?.Principal;
    }

    /// <summary>The cookie of a session that signed in with its second factor at <paramref name="provedAt"/>, renewed since.</summary>
    private async Task<string> ForgedSessionAsync(string email, DateTimeOffset provedAt)
    {
        var principal = await app.SessionForAsync(email, secondFactor: true, provedAt);
        return Tickets.Protect(new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = DateTimeOffset.UtcNow }, IdentityConstants.ApplicationScheme));
    }

    private Task<string> NewUnenrolledAsync(string role) =>
        app.InScopeAsync(async sp =>
        {
            var email = TestPeople.NewEmail("password-only");
            var users = sp.GetRequiredService<UserManager<ApplicationUser>>();
            var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
            (await users.CreateAsync(user, TestPeople.Password)).Succeeded.ShouldBeTrue();
            (await users.AddToRoleAsync(user, role)).Succeeded.ShouldBeTrue();
            return email;
        });

    /// <summary>A browser whose cookies the test sets itself, starting from a given session cookie.</summary>
    private sealed class CookieJar(WebApplicationFactory<Program> app, string session)
    {
        private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal) { [SessionCookie] = session };
        private readonly HttpClient _client = app.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = false,
            BaseAddress = new Uri("http://localhost"),
        });

        public async Task<HttpResponseMessage> SubmitConfirmAsync(string returnUrl, string code)
        {
            var path = $"{ProofPaths.ConfirmPath}?reason={ProofPaths.StepUpReason}&returnUrl={Uri.EscapeDataString(returnUrl)}";
            using var page = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
            page.StatusCode.ShouldBe(HttpStatusCode.OK);
            var fields = Browser.HiddenFields(await page.Content.ReadAsStringAsync(), formName: "confirm-identity");
            fields["Input.Code"] = code;
            return await SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) });
        }

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
            var response = await _client.SendAsync(request);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
            {
                foreach (var pair in set.Select(c => c.Split(';')[0].Split('=', 2)).Where(p => p.Length == 2 && p[0] != SessionCookie))
                    _cookies[pair[0]] = pair[1];
            }
            return response;
        }
    }
}
