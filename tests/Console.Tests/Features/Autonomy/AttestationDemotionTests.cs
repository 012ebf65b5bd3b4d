using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Warden.Domain;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
using Warden.Features.Autonomy;
using Warden.Infrastructure.AgentIdentity;
using Warden.Persistence;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Autonomy;

[Collection(AppCollection.Name)]
public sealed class AttestationDemotionTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    [Fact]
    public async Task Upkeep_SuspendingForAnAttestationOverdueBeyondTheLimit_DemotesOneLevel()
    {
        var agent = await RegisterAsync(app);
        var requested = await app.AsUserAsync<AutonomyService, Result<string>>(DemoAccounts.Owner, s => s.RequestPromotionAsync(agent.Id, "pilot"));
        (await app.AsUserAsync<AutonomyService, Result>(DemoAccounts.Officer, s => s.DecideAsync(requested.Value, true, "ok"))).IsSuccess.ShouldBeTrue();
        var settings = new DirectoryOptions { AttestationPeriodDays = 90, EnforceAttestation = true, AttestationGraceDays = 14 };

        await JobAt(settings, days: 105).RunAsync(TestContext.Current.CancellationToken);

        var autonomy = await app.AsUserAsync<AutonomyService, Result<AgentAutonomy>>(DemoAccounts.Officer, s => s.GetAgentAutonomyAsync(agent.Id));
        autonomy.Value.Level.ShouldBe(0);
        autonomy.Value.History[0].Reason.ShouldNotBeNull().ShouldContain("attestation overdue");
    }

    private DirectoryUpkeepJob JobAt(DirectoryOptions settings, int days) => new(
        app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>(),
        app.Services.GetRequiredService<AuditWriter>(),
        app.Services.GetRequiredService<AgentTokenGate>(),
        app.Services.GetRequiredService<Warden.Infrastructure.Events.EventPublisher>(),
        Options.Create(settings),
        new FakeTimeProvider(TimeProvider.System.GetUtcNow().AddDays(days)));
}
