using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.People;
using Warden.Features.Administration;
using Warden.Infrastructure.Identity;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Administration;

[Collection(AppCollection.Name)]
public sealed class UserAdministrationServiceTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    [Fact]
    public async Task AddRoleAsync_ToThemselves_IsRefusedEvenForAnAdministrator()
    {
        var admin = await FindAsync(DemoAccounts.Admin);

        var result = await AsAdminAsync(s => s.AddRoleAsync(admin!.Id, Roles.SecurityOfficer));

        result.Error.ShouldBe(PersonErrors.CannotGrantSelf);
        (await FindAsync(DemoAccounts.Admin)).ShouldNotBeNull();
    }

    [Fact]
    public async Task CreateUserAsync_WithRoles_CreatesAnEnabledPersonHoldingThem()
    {
        var email = TestPeople.NewEmail("new");

        var result = await AsAdminAsync(s => s.CreateUserAsync(
            new NewUser($" {email} ", " Nia New ", TestPeople.Password, [Roles.SecurityOfficer, Roles.Auditor])));

        result.IsSuccess.ShouldBeTrue(result.Error.ToString());
        var row = (await AsAdminAsync(s => s.GetUsersAsync(TestContext.Current.CancellationToken))).Value
            .Single(u => u.Id == result.Value);
        row.Email.ShouldBe(email);
        row.DisplayName.ShouldBe("Nia New");
        row.Roles.ShouldBe([Roles.Auditor, Roles.SecurityOfficer]);
        row.IsDisabled.ShouldBeFalse();
        using var browser = await app.SignInAsync(email, TestPeople.Password);
    }

    [Fact]
    public async Task CreateUserAsync_WithAnEmailAlreadyTaken_IsRefusedAsDuplicateEmail()
    {
        var taken = DemoAccounts.Officer.ToUpperInvariant();

        var result = await AsAdminAsync(s => s.CreateUserAsync(new NewUser(taken, null, TestPeople.Password, [])));

        result.Error.Code.ShouldBe("people.duplicate_email");
        result.Error.Message.ShouldBe($"A user with the e-mail {taken} already exists.");
    }

    [Fact]
    public async Task CreateUserAsync_WithAWeakPassword_IsRefusedAsWeakPasswordAndCreatesNobody()
    {
        var email = TestPeople.NewEmail("weak");

        var result = await AsAdminAsync(s => s.CreateUserAsync(new NewUser(email, null, "short", [Roles.Auditor])));

        result.Error.Code.ShouldBe("people.weak_password");
        result.Error.Message.ShouldContain("12");
        (await FindAsync(email)).ShouldBeNull();
    }

    [Fact]
    public async Task CreateUserAsync_WithAnUnknownRole_IsRefusedAndCreatesNobody()
    {
        var email = TestPeople.NewEmail("unknown-role");

        var result = await AsAdminAsync(s => s.CreateUserAsync(new NewUser(email, null, TestPeople.Password, ["Superuser"])));

        result.Error.ShouldBe(PersonErrors.UnknownRole("Superuser"));
        (await FindAsync(email)).ShouldBeNull();
    }

    [Fact]
    public async Task CreateUserAsync_ByANonAdministrator_IsForbiddenAndCreatesNobody()
    {
        var email = TestPeople.NewEmail("by-officer");

        var result = await app.AsUserAsync<UserAdministrationService, Result<string>>(DemoAccounts.Officer,
            s => s.CreateUserAsync(new NewUser(email, null, TestPeople.Password, [Roles.Administrator])));

        result.Error.Code.ShouldBe("access.forbidden");
        (await FindAsync(email)).ShouldBeNull();
    }

    [Fact]
    public async Task AddRoleAsync_ThenRemoveRoleAsync_GrantsAndWithdrawsTheRole()
    {
        var id = await CreatePersonAsync("roles", Roles.AgentOwner);

        var added = await AsAdminAsync(s => s.AddRoleAsync(id, Roles.SecurityOfficer));
        var rolesAfterAdd = await RolesOfAsync(id);
        var removed = await AsAdminAsync(s => s.RemoveRoleAsync(id, Roles.AgentOwner));

        added.IsSuccess.ShouldBeTrue(added.Error.ToString());
        rolesAfterAdd.ShouldBe([Roles.AgentOwner, Roles.SecurityOfficer], ignoreOrder: true);
        removed.IsSuccess.ShouldBeTrue(removed.Error.ToString());
        (await RolesOfAsync(id)).ShouldBe([Roles.SecurityOfficer]);
    }

    [Fact]
    public async Task AddRoleAsync_WithAnUnknownRole_IsRefused()
    {
        var id = await CreatePersonAsync("bad-role", Roles.Auditor);

        var result = await AsAdminAsync(s => s.AddRoleAsync(id, "Root"));

        result.Error.Code.ShouldBe("people.unknown_role");
        (await RolesOfAsync(id)).ShouldBe([Roles.Auditor]);
    }

    [Fact]
    public async Task RemoveRoleAsync_ChangesTheSecurityStampSoOpenSessionsEnd()
    {
        var id = await CreatePersonAsync("stamp", Roles.SecurityOfficer, Roles.Auditor);
        var stampBefore = await StampOfAsync(id);

        var result = await AsAdminAsync(s => s.RemoveRoleAsync(id, Roles.SecurityOfficer));

        result.IsSuccess.ShouldBeTrue(result.Error.ToString());
        (await StampOfAsync(id)).ShouldNotBe(stampBefore);
    }

    [Fact]
    public async Task RemoveRoleAsync_AdministratorFromTheLastActiveAdministrator_IsRefused()
    {
        var otherAdmin = await CreatePersonAsync("disabled-admin", Roles.Administrator);
        (await AsAdminAsync(s => s.DisableAsync(otherAdmin))).IsSuccess.ShouldBeTrue();
        var adminId = await IdOfAsync(DemoAccounts.Admin);

        var result = await AsAdminAsync(s => s.RemoveRoleAsync(adminId, Roles.Administrator));

        result.Error.ShouldBe(PersonErrors.LastAdministrator);
        (await RolesOfAsync(adminId)).ShouldContain(Roles.Administrator);
    }

    [Fact]
    public async Task DisableAsync_OfOneself_IsRefusedAndLeavesTheAccountActive()
    {
        var adminId = await IdOfAsync(DemoAccounts.Admin);

        var result = await AsAdminAsync(s => s.DisableAsync(adminId));

        result.Error.ShouldBe(PersonErrors.CannotDisableSelf);
        (await FindAsync(DemoAccounts.Admin))!.IsDisabled.ShouldBeFalse();
    }

    [Fact]
    public async Task DisableAsync_OfAnUnknownId_IsNotFound()
    {
        var result = await AsAdminAsync(s => s.DisableAsync("no-such-person"));

        result.Error.Code.ShouldBe("people.not_found");
    }

    [Fact]
    public async Task DisableAsync_MarksThePersonDisabledAndChangesTheSecurityStamp()
    {
        var id = await CreatePersonAsync("to-disable", Roles.AgentOwner);
        var stampBefore = await StampOfAsync(id);

        var result = await AsAdminAsync(s => s.DisableAsync(id));

        result.IsSuccess.ShouldBeTrue(result.Error.ToString());
        var user = await FindByIdAsync(id);
        user.IsDisabled.ShouldBeTrue();
        user.DisabledAt.ShouldNotBeNull();
        user.SecurityStamp.ShouldNotBe(stampBefore);
    }

    [Fact]
    public async Task CreateUserAsync_ByAnAdministratorDisabledSinceSigningIn_IsRefusedAsDisabled()
    {
        var secondAdmin = await CreatePersonAsync("second-admin", Roles.Administrator);
        var secondAdminEmail = (await FindByIdAsync(secondAdmin)).Email!;
        var principalFromBeforeTheDisable = await app.PrincipalForAsync(secondAdminEmail);
        (await AsAdminAsync(s => s.DisableAsync(secondAdmin))).IsSuccess.ShouldBeTrue();
        var email = TestPeople.NewEmail("by-disabled-admin");

        var result = await app.AsPrincipalAsync<UserAdministrationService, Result<string>>(principalFromBeforeTheDisable,
            s => s.CreateUserAsync(new NewUser(email, null, TestPeople.Password, [Roles.Administrator])));

        result.Error.ShouldBe(PersonErrors.Disabled);
        (await FindAsync(email)).ShouldBeNull();
    }

    [Fact]
    public async Task LoginForm_ForADisabledPerson_ShowsTheErrorAndSetsNoSessionCookie()
    {
        var id = await CreatePersonAsync("disabled-login", Roles.Auditor);
        var email = (await FindByIdAsync(id)).Email!;
        (await AsAdminAsync(s => s.DisableAsync(id))).IsSuccess.ShouldBeTrue();
        using var browser = app.CreateBrowser();

        using var response = await browser.SubmitLoginAsync(email, TestPeople.Password);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = Browser.VisibleText(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        text.ShouldContain("Invalid email or password, or the account is disabled.");
        response.Headers.TryGetValues("Set-Cookie", out var cookies);
        (cookies ?? []).ShouldNotContain(c => c.StartsWith("Warden.Session=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnableAsync_AfterDisable_RestoresSignIn()
    {
        var id = await CreatePersonAsync("re-enabled", Roles.AgentOwner);
        var email = (await FindByIdAsync(id)).Email!;
        (await AsAdminAsync(s => s.DisableAsync(id))).IsSuccess.ShouldBeTrue();

        var result = await AsAdminAsync(s => s.EnableAsync(id));

        result.IsSuccess.ShouldBeTrue(result.Error.ToString());
        (await FindByIdAsync(id)).IsDisabled.ShouldBeFalse();
        using var browser = await app.SignInAsync(email, TestPeople.Password);
        using var dashboard = await browser.GetAsync("/", TestContext.Current.CancellationToken);
        dashboard.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ResetPasswordAsync_LetsThePersonSignInWithTheNewPasswordOnly()
    {
        var id = await CreatePersonAsync("reset", Roles.Auditor);
        var email = (await FindByIdAsync(id)).Email!;
        const string newPassword = "Brand-New-Passw0rd-2";

        var result = await AsAdminAsync(s => s.ResetPasswordAsync(id, newPassword));

        result.IsSuccess.ShouldBeTrue(result.Error.ToString());
        using var browser = await app.SignInAsync(email, newPassword);
        using var otherBrowser = app.CreateBrowser();
        using var oldPassword = await otherBrowser.SubmitLoginAsync(email, TestPeople.Password);
        oldPassword.StatusCode.ShouldBe(HttpStatusCode.OK, "the old password must no longer sign in");
    }

    [Fact]
    public async Task ResetPasswordAsync_WithAWeakPassword_IsRefusedAsWeakPassword()
    {
        var id = await CreatePersonAsync("weak-reset", Roles.Auditor);

        var result = await AsAdminAsync(s => s.ResetPasswordAsync(id, "abc"));

        result.Error.Code.ShouldBe("people.weak_password");
    }

    private Task<T> AsAdminAsync<T>(Func<UserAdministrationService, Task<T>> call) =>
        app.AsUserAsync(DemoAccounts.Admin, call);

    private async Task<string> CreatePersonAsync(string hint, params string[] roles)
    {
        var created = await AsAdminAsync(s => s.CreateUserAsync(
            new NewUser(TestPeople.NewEmail(hint), null, TestPeople.Password, roles)));
        created.IsSuccess.ShouldBeTrue(created.Error.ToString());
        return created.Value;
    }

    private Task<ApplicationUser?> FindAsync(string email) =>
        app.InScopeAsync(sp => sp.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email));

    private async Task<ApplicationUser> FindByIdAsync(string id) =>
        (await app.InScopeAsync(sp => sp.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(id)))
        ?? throw new InvalidOperationException($"No user {id}.");

    private async Task<string> IdOfAsync(string email) =>
        (await FindAsync(email))?.Id ?? throw new InvalidOperationException($"No user {email}.");

    private async Task<string?> StampOfAsync(string id) => (await FindByIdAsync(id)).SecurityStamp;

    private Task<IList<string>> RolesOfAsync(string id) =>
        app.InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<ApplicationUser>>();
            return await users.GetRolesAsync((await users.FindByIdAsync(id))!);
        });
}
