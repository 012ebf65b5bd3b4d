using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain.People;
using Warden.Infrastructure.Identity;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.Identity;

[Collection(AppCollection.Name)]
public sealed class PeopleSeederTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private static readonly (string Email, string Role)[] ExpectedPeople =
    [
        (DemoAccounts.Admin, Roles.Administrator),
        (DemoAccounts.Officer, Roles.SecurityOfficer),
        (DemoAccounts.Officer2, Roles.SecurityOfficer),
        (DemoAccounts.Owner, Roles.AgentOwner),
        (DemoAccounts.Owner2, Roles.AgentOwner),
        (DemoAccounts.Auditor, Roles.Auditor),
    ];

    [Fact]
    public async Task DemoStart_SeedsExactlyTheSixDemoPeopleWithTheirRoles()
    {
        var people = await PeopleWithRolesAsync(app);

        people.ShouldBe(ExpectedPeople.Select(p => $"{p.Email}={p.Role}"), ignoreOrder: true);
    }

    [Fact]
    public async Task DemoStart_CreatesEveryRole()
    {
        var roles = await app.InScopeAsync(sp =>
            sp.GetRequiredService<RoleManager<IdentityRole>>().Roles.Select(r => r.Name!).ToListAsync(TestContext.Current.CancellationToken));

        roles.ShouldBe(Roles.All, ignoreOrder: true);
    }

    [Fact]
    public async Task DemoPeople_CanSignInWithTheDemoPassword()
    {
        using var browser = await app.SignInAsync(DemoAccounts.Owner2);

        using var response = await browser.GetAsync("/", TestContext.Current.CancellationToken);

        response.IsSuccessStatusCode.ShouldBeTrue();
    }

    [Fact]
    public async Task SeedDemoPeopleAsync_RunAgain_CreatesNobody()
    {
        var seeder = app.Services.GetRequiredService<PeopleSeeder>();

        await seeder.EnsureRolesAsync();
        var created = await seeder.SeedDemoPeopleAsync(DemoAccounts.Password);

        created.ShouldBe(0);
        (await PeopleWithRolesAsync(app)).Count.ShouldBe(ExpectedPeople.Length);
    }

    [Fact]
    public async Task Restart_OnTheSameDatabase_CreatesNoDuplicates()
    {
        var before = await PeopleWithRolesAsync(app);

        await using (var restarted = WardenAppFactory.With(dataDirectory: app.DataDirectory))
            _ = restarted.Services;

        var after = await PeopleWithRolesAsync(app);
        after.ShouldBe(before, ignoreOrder: true);
        after.Count.ShouldBe(ExpectedPeople.Length);
        var roleCount = await app.InScopeAsync(sp =>
            sp.GetRequiredService<RoleManager<IdentityRole>>().Roles.CountAsync(TestContext.Current.CancellationToken));
        roleCount.ShouldBe(Roles.All.Count);
    }

    private static Task<List<string>> PeopleWithRolesAsync(WardenAppFactory factory) =>
        factory.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
            return await (from user in db.Users
                          join link in db.UserRoles on user.Id equals link.UserId into links
                          from link in links.DefaultIfEmpty()
                          join role in db.Roles on link.RoleId equals role.Id into roles
                          from role in roles.DefaultIfEmpty()
                          select user.Email + "=" + (role == null ? "(none)" : role.Name))
                .ToListAsync();
        });
}
