using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Features.Administration;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
using Warden.Infrastructure.AgentIdentity;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Agents;

/// <summary>The upkeep job run with a clock moved into the future, against the app's real database.</summary>
[Collection(AppCollection.Name)]
public sealed class DirectoryUpkeepJobTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    [Fact]
    public async Task RunAsync_WithEnforcementOn_SuspendsAgentsOverdueBeyondTheGracePeriod()
    {
        var id = await RegisterAsync(AgentDraftBuilder.Valid());
        var settings = new DirectoryOptions { AttestationPeriodDays = 90, EnforceAttestation = true, AttestationGraceDays = 14 };

        await JobAt(settings, days: 100).RunAsync(TestContext.Current.CancellationToken);
        var withinGrace = await StatusAsync(id);
        await JobAt(settings, days: 105).RunAsync(TestContext.Current.CancellationToken);

        withinGrace.ShouldBe(AgentStatus.Active);
        (await StatusAsync(id)).ShouldBe(AgentStatus.Suspended);
    }

    [Fact]
    public async Task RunAsync_WithEnforcementOff_LeavesOverdueAgentsActive()
    {
        var id = await RegisterAsync(AgentDraftBuilder.Valid());
        var settings = new DirectoryOptions { AttestationPeriodDays = 90, EnforceAttestation = false };

        await JobAt(settings, days: 400).RunAsync(TestContext.Current.CancellationToken);

        (await StatusAsync(id)).ShouldBe(AgentStatus.Active);
    }

    [Fact]
    public async Task RunAsync_OrphanPastTheGracePeriod_IsSuspended()
    {
        var email = TestPeople.NewEmail("gone");
        var person = await app.AsUserAsync<UserAdministrationService, Result<string>>(DemoAccounts.Admin,
            s => s.CreateUserAsync(new NewUser(email, null, TestPeople.Password, [Warden.Domain.People.Roles.AgentOwner])));
        var id = await RegisterAsync(AgentDraftBuilder.Valid() with { OwnerId = person.Value }, DemoAccounts.Officer);
        (await app.AsUserAsync<UserAdministrationService, Result>(DemoAccounts.Admin, s => s.DisableAsync(person.Value))).IsSuccess.ShouldBeTrue();
        var settings = new DirectoryOptions { OrphanGraceDays = 7 };
        await WaitUntilOrphanedAsync(id);

        var flagged = await StatusAsync(id);
        await JobAt(settings, days: 8).RunAsync(TestContext.Current.CancellationToken);

        flagged.ShouldBe(AgentStatus.Active);
        (await StatusAsync(id)).ShouldBe(AgentStatus.Suspended);
    }

    // Disabling the owner enqueues the upkeep job on the app's job server; let that run finish first.
    private async Task WaitUntilOrphanedAsync(string id)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await using var db = factory.CreateDbContext();
            if (await db.Agents.AnyAsync(a => a.Id == AgentId.Parse(id) && a.OrphanedSince != null, TestContext.Current.CancellationToken))
                return;
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException("The enqueued upkeep job did not flag the orphan.");
    }

    private DirectoryUpkeepJob JobAt(DirectoryOptions settings, int days)
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow().AddDays(days));
        return new DirectoryUpkeepJob(
            app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>(),
            app.Services.GetRequiredService<AuditWriter>(),
            app.Services.GetRequiredService<AgentTokenGate>(),
            app.Services.GetRequiredService<Warden.Infrastructure.Events.EventPublisher>(),
            Options.Create(settings),
            clock);
    }

    private async Task<string> RegisterAsync(AgentDraft draft, string email = DemoAccounts.Owner)
    {
        var result = await app.AsUserAsync<AgentRegistryService, Result<string>>(email, s => s.RegisterAsync(draft));
        result.IsSuccess.ShouldBeTrue(result.Error.ToString());
        return result.Value;
    }

    private async Task<AgentStatus> StatusAsync(string id)
    {
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        return await db.Agents.Where(a => a.Id == AgentId.Parse(id)).Select(a => a.Status).SingleAsync(TestContext.Current.CancellationToken);
    }
}
