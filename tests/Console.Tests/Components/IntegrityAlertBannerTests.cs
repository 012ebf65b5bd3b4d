using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain.Agents;
using Warden.Features.Agents;
using Warden.Features.Policies;
using Warden.Persistence;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Components;

/// <summary>An agent widened in the database is refused; officers see why in the banner of the dashboard and the policies page, owners do not.</summary>
public sealed class IntegrityAlertBannerTests(WardenAppFactory app) : ComponentTestBase(app)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private async Task<string> WidenInTheDatabaseAsync()
    {
        var agent = await RegisterAsync(App);
        await using (var db = App.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext())
            await db.Database.ExecuteSqlRawAsync("UPDATE Agents SET Scopes = REPLACE(Scopes, 'crm/accounts/*', '**') WHERE Id = {0}", [agent.Id], Xunit.TestContext.Current.CancellationToken);
        var live = App.Services.GetRequiredService<LiveAgents>();
        await live.ReloadAsync(Xunit.TestContext.Current.CancellationToken);
        (await live.GetAsync(AgentId.TryParse(agent.Id, out var id) ? id : default, Xunit.TestContext.Current.CancellationToken)).ShouldBeNull();
        return agent.Id;
    }

    [Fact]
    public async Task Banner_ForAnOfficer_ShowsTheAgentChangedOutsideWarden()
    {
        var agentId = await WidenInTheDatabaseAsync();
        await SignInAsync(DemoAccounts.Officer);

        var page = Render<Warden.Features.AuditLog.IntegrityAlertBanner>();

        page.WaitForAssertion(() => page.FindAll("[data-testid='integrity-alert']").ShouldContain(a => a.TextContent.Contains(agentId)), Patience);
    }

    [Fact]
    public async Task PoliciesPage_ForAnOfficer_ShowsTheAlert_ButNotForAnOwner()
    {
        var agentId = await WidenInTheDatabaseAsync();

        await SignInAsync(DemoAccounts.Officer);
        var forOfficer = Render<PoliciesPage>();
        forOfficer.WaitForAssertion(() => forOfficer.FindAll("[data-testid='integrity-alert']").ShouldContain(a => a.TextContent.Contains(agentId)), Patience);
        await SignInAsync(DemoAccounts.Owner);
        var forOwner = Render<PoliciesPage>();
        forOwner.WaitForAssertion(() => forOwner.Find("[data-testid='policy-in-force']"), Patience);

        forOwner.FindAll("[data-testid='integrity-alert']").ShouldBeEmpty();
    }
}
