using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain.People;
using Warden.Features.Administration;
using Warden.Infrastructure.Identity;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Administration;

/// <summary>An app that re-checks session cookies every second, so a test can watch a session end.</summary>
public sealed class QuickRevalidationAppFactory : WardenAppFactory
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public QuickRevalidationAppFactory()
        : base(new Dictionary<string, string?> { ["Sessions:RevalidationSeconds"] = "1" })
    {
    }
}

[Collection(AppCollection.Name)]
public sealed class SessionRevalidationTests(QuickRevalidationAppFactory app) : IClassFixture<QuickRevalidationAppFactory>
{
    [Fact]
    public async Task ExistingSession_AfterThePersonIsDisabled_IsSentToLogin()
    {
        var (id, email) = await CreatePersonAsync(Roles.Auditor);
        using var browser = await app.SignInAsync(email, TestPeople.Password);
        await ExpectStatusAsync(browser, "/audit", HttpStatusCode.OK);

        (await AsAdminAsync(s => s.DisableAsync(id))).IsSuccess.ShouldBeTrue();
        await Task.Delay(QuickRevalidationAppFactory.Interval * 1.5, TestContext.Current.CancellationToken);

        using var response = await browser.GetAsync("/audit", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.RedirectPath().ShouldBe(Browser.LoginPath);
    }

    [Fact]
    public async Task ExistingSession_AfterARoleIsRemoved_LosesThatRole()
    {
        var (id, email) = await CreatePersonAsync(Roles.SecurityOfficer, Roles.Auditor);
        using var browser = await app.SignInAsync(email, TestPeople.Password);
        await ExpectStatusAsync(browser, "/containment", HttpStatusCode.OK);

        (await AsAdminAsync(s => s.RemoveRoleAsync(id, Roles.SecurityOfficer))).IsSuccess.ShouldBeTrue();
        await Task.Delay(QuickRevalidationAppFactory.Interval * 1.5, TestContext.Current.CancellationToken);

        using var response = await browser.GetAsync("/containment", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.RedirectPath().ShouldBeOneOf(Browser.LoginPath, Browser.AccessDeniedPath);
    }

    [Fact]
    public async Task ExistingSession_OfAnUntouchedPerson_SurvivesRevalidation()
    {
        var (_, email) = await CreatePersonAsync(Roles.AgentOwner);
        using var browser = await app.SignInAsync(email, TestPeople.Password);

        await Task.Delay(QuickRevalidationAppFactory.Interval * 1.5, TestContext.Current.CancellationToken);

        await ExpectStatusAsync(browser, "/autonomy", HttpStatusCode.OK);
    }

    private async Task<(string Id, string Email)> CreatePersonAsync(params string[] roles)
    {
        var email = TestPeople.NewEmail("session");
        var created = await AsAdminAsync(s => s.CreateUserAsync(new NewUser(email, null, TestPeople.Password, roles)));
        created.IsSuccess.ShouldBeTrue(created.Error.ToString());
        // Enrolled, so that an officer signs in with the code and reaches the pages this test opens.
        await app.InScopeAsync(async sp =>
        {
            var user = await sp.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(created.Value);
            await SecondFactors.EnrolAsync(sp, user!);
            return true;
        });
        return (created.Value, email);
    }

    private static async Task ExpectStatusAsync(HttpClient browser, string path, HttpStatusCode status)
    {
        using var response = await browser.GetAsync(path, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(status, $"GET {path} → {response.Headers.Location}");
    }

    private Task<T> AsAdminAsync<T>(Func<UserAdministrationService, Task<T>> call) =>
        app.AsUserAsync(DemoAccounts.Admin, call);
}
