using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Features.Administration;
using Warden.Features.Agents;
using Warden.Infrastructure.Identity;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Agents;

[Collection(AppCollection.Name)]
public sealed class AgentDirectoryServiceTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    [Fact]
    public async Task GetAgentsAsync_ForOwner_ListsOnlyAgentsTheyOwnOrBackUp()
    {
        var mine = await RegisterAsync(DemoAccounts.Owner, AgentDraftBuilder.Valid());
        var backedUp = await RegisterAsync(DemoAccounts.Owner2, AgentDraftBuilder.Valid() with { BackupOwnerId = await IdOfAsync(DemoAccounts.Owner) });
        var theirs = await RegisterAsync(DemoAccounts.Owner2, AgentDraftBuilder.Valid());

        var page = await QueryAsync(DemoAccounts.Owner, new AgentQuery { PageSize = 100 });
        var all = await QueryAsync(DemoAccounts.Auditor, new AgentQuery { PageSize = 100 });

        page.Items.Select(a => a.Id).ShouldContain(mine);
        page.Items.Select(a => a.Id).ShouldContain(backedUp);
        page.Items.Select(a => a.Id).ShouldNotContain(theirs);
        all.Items.Select(a => a.Id).ShouldContain(theirs);
    }

    [Fact]
    public async Task GetAgentsAsync_FiltersBySegmentTagRiskAndStatus()
    {
        var segment = $"seg-{Guid.NewGuid():N}"[..12];
        var risky = await RegisterAsync(DemoAccounts.Owner, AgentDraftBuilder.Valid() with
        {
            Segment = segment,
            Tags = ["pci"],
            Tools = [new ToolDraft("payments.send", [OperationKind.Execute], RiskTier.Critical, null)],
        });
        var quiet = await RegisterAsync(DemoAccounts.Owner, AgentDraftBuilder.Valid() with { Segment = segment });
        (await app.AsUserAsync<AgentRegistryService, Result>(DemoAccounts.Officer, s => s.SuspendAsync(quiet, "review"))).IsSuccess.ShouldBeTrue();

        var bySegment = await QueryAsync(DemoAccounts.Officer, new AgentQuery { Segment = segment });
        var byTag = await QueryAsync(DemoAccounts.Officer, new AgentQuery { Segment = segment, Tag = "PCI" });
        var byRisk = await QueryAsync(DemoAccounts.Officer, new AgentQuery { Segment = segment, Risk = RiskTier.Critical });
        var byStatus = await QueryAsync(DemoAccounts.Officer, new AgentQuery { Segment = segment, Status = AgentStatus.Suspended });

        bySegment.Total.ShouldBe(2);
        byTag.Items.ShouldHaveSingleItem().Id.ShouldBe(risky);
        byRisk.Items.ShouldHaveSingleItem().Id.ShouldBe(risky);
        byStatus.Items.ShouldHaveSingleItem().Id.ShouldBe(quiet);
    }

    [Fact]
    public async Task GetAgentsAsync_PagesAndSortsStably()
    {
        var segment = $"page-{Guid.NewGuid():N}"[..12];
        for (var i = 0; i < 5; i++)
            await RegisterAsync(DemoAccounts.Owner, AgentDraftBuilder.Valid($"Pager {segment} {i}") with { Segment = segment });

        var first = await QueryAsync(DemoAccounts.Officer, new AgentQuery { Segment = segment, PageSize = 2, SortBy = AgentSortColumn.Name, Descending = true });
        var last = await QueryAsync(DemoAccounts.Officer, new AgentQuery { Segment = segment, PageSize = 2, Page = 2, SortBy = AgentSortColumn.Name, Descending = true });

        first.Total.ShouldBe(5);
        first.Items.Select(a => a.Name).ShouldBe([$"Pager {segment} 4", $"Pager {segment} 3"]);
        last.Items.ShouldHaveSingleItem().Name.ShouldBe($"Pager {segment} 0");
    }

    [Fact]
    public async Task DisablingAnOwner_FlagsTheirAgentsOrphanedAndOffersThemToTheBackup()
    {
        var email = TestPeople.NewEmail("leaver");
        var created = await app.AsUserAsync<UserAdministrationService, Result<string>>(DemoAccounts.Admin,
            s => s.CreateUserAsync(new NewUser(email, null, TestPeople.Password, [Warden.Domain.People.Roles.AgentOwner])));
        var backup = await IdOfAsync(DemoAccounts.Owner2);
        var id = await RegisterAsync(DemoAccounts.Officer, AgentDraftBuilder.Valid() with { OwnerId = created.Value, BackupOwnerId = backup });
        (await app.AsUserAsync<UserAdministrationService, Result>(DemoAccounts.Admin, s => s.DisableAsync(created.Value))).IsSuccess.ShouldBeTrue();

        var details = await WaitUntilOrphanedAsync(id);
        await using var scope = app.Services.CreateAsyncScope();
        var again = await scope.ServiceProvider.GetRequiredService<DirectoryUpkeepJob>().RunAsync(TestContext.Current.CancellationToken);

        details.Summary.OrphanedSince.ShouldNotBeNull();
        details.PendingOwner!.Email.ShouldBe(DemoAccounts.Owner2);
        details.Permissions.CanAcceptTransfer.ShouldBeTrue();
        details.Changes.Count(c => c.Kind == "orphaned").ShouldBe(1);
        var orphans = await QueryAsync(DemoAccounts.Officer, new AgentQuery { OrphanedOnly = true, PageSize = 100 });
        orphans.Items.Select(a => a.Id).ShouldContain(id);
        again.ShouldBe(0);
    }

    // Disabling a person enqueues the directory upkeep job; the app's job server runs it.
    private async Task<AgentDetails> WaitUntilOrphanedAsync(string id)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        while (true)
        {
            var details = (await app.AsUserAsync<AgentDirectoryService, Result<AgentDetails>>(DemoAccounts.Owner2, s => s.GetAgentAsync(id))).Value;
            if (details.Summary.OrphanedSince is not null || DateTimeOffset.UtcNow > deadline)
                return details;
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    private async Task<AgentPage> QueryAsync(string email, AgentQuery query)
    {
        var result = await app.AsUserAsync<AgentDirectoryService, Result<AgentPage>>(email, s => s.GetAgentsAsync(query));
        result.IsSuccess.ShouldBeTrue(result.Error.ToString());
        return result.Value;
    }

    private async Task<string> RegisterAsync(string email, AgentDraft draft)
    {
        var result = await app.AsUserAsync<AgentRegistryService, Result<string>>(email, s => s.RegisterAsync(draft));
        result.IsSuccess.ShouldBeTrue(result.Error.ToString());
        return result.Value;
    }

    private async Task<string> IdOfAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email);
        return user!.Id;
    }
}
