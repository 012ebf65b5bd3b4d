using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.People;
using Warden.Features.Setup;
using Warden.Infrastructure.Identity;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Setup;

[Collection(AppCollection.Name)]
public sealed class FirstAdministratorServiceTests(FirstRunAppFactory app) : IClassFixture<FirstRunAppFactory>
{
    private const string Password = "First-Admin-Passw0rd";

    [Fact]
    public async Task SetUpPage_WithoutToken_SaysTheLinkIsNotValid()
    {
        using var browser = app.CreateBrowser();

        var page = await browser.GetStringAsync("/setup", TestContext.Current.CancellationToken);

        Browser.VisibleText(page).ShouldContain("This set-up link is not valid");
    }

    [Fact]
    public async Task CreateAsync_WithAWrongToken_IsRefusedAndCreatesNobody()
    {
        var token = app.Services.GetRequiredService<FirstRunSetup>().Open();

        var result = await CreateAsync(token + "x", "wrong-token@warden.example");

        result.Error.Code.ShouldBe("setup.link_invalid");
        (await FindAsync("wrong-token@warden.example")).ShouldBeNull();
        app.Services.GetRequiredService<FirstRunSetup>().Matches(token).ShouldBeTrue();
    }

    [Fact]
    public async Task CreateAsync_WithTheToken_CreatesAnAdministratorAndTheTokenThenNoLongerWorks()
    {
        var setup = app.Services.GetRequiredService<FirstRunSetup>();
        (await app.Services.GetRequiredService<PeopleSeeder>().AnyActiveAdministratorAsync()).ShouldBeFalse();
        setup.IsOpen.ShouldBeTrue("start-up without an administrator opens the set-up link");
        // The printed token is only kept hashed; opening again issues a fresh one, as a restart would.
        var token = setup.Open();

        var result = await CreateAsync(token, " first@warden.example ");

        result.IsSuccess.ShouldBeTrue(result.Error.ToString());
        var admin = await FindAsync("first@warden.example");
        admin.ShouldNotBeNull();
        (await app.InScopeAsync(sp => sp.GetRequiredService<UserManager<ApplicationUser>>().IsInRoleAsync(admin, Roles.Administrator)))
            .ShouldBeTrue();
        setup.IsOpen.ShouldBeFalse();
        setup.Matches(token).ShouldBeFalse();
        (await CreateAsync(token, "second@warden.example")).Error.Code.ShouldBe("setup.link_invalid");
        (await FindAsync("second@warden.example")).ShouldBeNull();
        using var browser = await app.SignInAsync("first@warden.example", Password);
    }

    private Task<Result> CreateAsync(string token, string email) =>
        app.InScopeAsync(sp => sp.GetRequiredService<FirstAdministratorService>().CreateAsync(token, email, Password));

    private Task<ApplicationUser?> FindAsync(string email) =>
        app.InScopeAsync(sp => sp.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email));
}
