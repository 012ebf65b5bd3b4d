using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
using Warden.Persistence;
using Warden.Tests.Features.Decisions;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Agents;

/// <summary>
/// Someone with write access to the database widens an agent behind Warden's back: its tools,
/// scopes, caps or rate limit edited with SQL. The agent's requests are refused and officers alerted;
/// changes through Warden, and agents that existed before digests were recorded, keep working.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AgentSettingsIntegrityTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task SqlAsync(string sql, params object[] parameters)
    {
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        await db.Database.ExecuteSqlRawAsync(sql, parameters, Cancel);
    }

    /// <summary>The decision path's copies are dropped, as they are at most two seconds later anyway.</summary>
    private Task ForgetCopiesAsync() => app.Services.GetRequiredService<LiveAgents>().ReloadAsync(Cancel);

    private async Task<int> AlertEventsAsync(string agentId)
    {
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        return await db.AuditEvents.CountAsync(e => e.Kind == IntegrityAlerts.AlertKind && e.Subject == agentId, Cancel);
    }

    [Theory]
    [InlineData("tools", "UPDATE Agents SET Tools = REPLACE(Tools, '\"crm.update\"', '\"crm.delete\"') WHERE Id = {0}")]
    [InlineData("scopes", "UPDATE Agents SET Scopes = REPLACE(Scopes, 'crm/accounts/*', '**') WHERE Id = {0}")]
    [InlineData("caps", "UPDATE Agents SET Caps_MaxAmountPerAction = '999999999.0', Caps_DailyAmountBudget = '999999999.0' WHERE Id = {0}")]
    [InlineData("rate limit", "UPDATE Agents SET RateLimitPerMinute = 1000000 WHERE Id = {0}")]
    public async Task Decide_AfterTheAgentsSettingsWereEditedWithSql_IsRefused_AndRaisesAnAlert(string what, string sql)
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        using (var before = await DecideAsync(client, Body()))
            (await JsonOf(before)).GetProperty("outcome").GetString().ShouldBe("allow");

        await SqlAsync(sql, agent.Id);
        await ForgetCopiesAsync();
        using var after = await DecideAsync(client, Body());

        after.StatusCode.ShouldBe(HttpStatusCode.Forbidden, what);
        (await JsonOf(after)).GetProperty("type").GetString().ShouldNotBeNull().ShouldEndWith("agent-settings-unverified");
        app.Services.GetRequiredService<IntegrityAlerts>().Open.ShouldContain(a => a.Key == "agent:" + agent.Id);
        (await AlertEventsAsync(agent.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task ReviewOutput_AfterTheAgentsSettingsWereEditedWithSql_IsRefused()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        string decisionId;
        using (var before = await DecideAsync(client, Body()))
            decisionId = (await JsonOf(before)).GetProperty("id").GetString().ShouldNotBeNull();

        await SqlAsync("UPDATE Agents SET Scopes = REPLACE(Scopes, 'crm/accounts/*', '**') WHERE Id = {0}", agent.Id);
        await ForgetCopiesAsync();
        using var review = await client.PostAsJsonAsync($"/api/v1/decisions/{decisionId}/output", new { output = "the account's notes" }, AgentApiClient.Json, Cancel);

        review.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await JsonOf(review)).GetProperty("type").GetString().ShouldNotBeNull().ShouldEndWith("agent-settings-unverified");
    }

    [Fact]
    public async Task AgentsMe_AfterTheAgentsSettingsWereEditedWithSql_IsRefusedAsItsDecisionsAre_NotAnsweredWithTheEditedSettings()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        using (var before = await client.GetAsync(new Uri("/api/v1/agents/me", UriKind.Relative), Cancel))
            (await JsonOf(before)).GetProperty("rateLimitPerMinute").GetInt32().ShouldNotBe(1000000);

        await SqlAsync("UPDATE Agents SET RateLimitPerMinute = 1000000 WHERE Id = {0}", agent.Id);
        await ForgetCopiesAsync();
        using var after = await client.GetAsync(new Uri("/api/v1/agents/me", UriKind.Relative), Cancel);

        after.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await JsonOf(after)).GetProperty("type").GetString().ShouldNotBeNull().ShouldEndWith("agent-settings-unverified");
    }

    [Fact]
    public async Task AgentsMe_AfterAnOfficerChangesTheAgentThroughWarden_ShowsTheChangeAtOnce()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        using (var before = await client.GetAsync(new Uri("/api/v1/agents/me", UriKind.Relative), Cancel))
            (await JsonOf(before)).GetProperty("rateLimitPerMinute").GetInt32().ShouldNotBe(77);

        var saved = await app.AsUserAsync<AgentRegistryService, Result>(DemoAccounts.Officer, s => s.EditAsync(agent.Id, Draft(rateLimit: 77)));
        using var after = await client.GetAsync(new Uri("/api/v1/agents/me", UriKind.Relative), Cancel);

        saved.IsSuccess.ShouldBeTrue(saved.IsFailure ? saved.Error.ToString() : null);
        (await JsonOf(after)).GetProperty("rateLimitPerMinute").GetInt32().ShouldBe(77);
    }

    [Fact]
    public async Task Decide_AfterAnOfficerSavesTheAgentAgainThroughWarden_IsDecidedAgain_AndTheAlertClears()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        await SqlAsync("UPDATE Agents SET RateLimitPerMinute = 1000000 WHERE Id = {0}", agent.Id);
        await ForgetCopiesAsync();
        using (var refused = await DecideAsync(client, Body()))
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var saved = await app.AsUserAsync<AgentRegistryService, Result>(DemoAccounts.Officer, s => s.EditAsync(agent.Id, Draft()));
        using var after = await DecideAsync(client, Body());

        saved.IsSuccess.ShouldBeTrue(saved.IsFailure ? saved.Error.ToString() : null);
        (await JsonOf(after)).GetProperty("outcome").GetString().ShouldBe("allow");
        app.Services.GetRequiredService<IntegrityAlerts>().Open.ShouldNotContain(a => a.Key == "agent:" + agent.Id);
    }

    [Fact]
    public async Task Decide_AfterAnOfficerApprovesTheOwnersWideningThroughWarden_IsNotRefused()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);

        var submitted = await app.AsUserAsync<AgentRegistryService, Result<AgentEditOutcome>>(DemoAccounts.Owner,
            s => s.SubmitEditAsync(agent.Id, Draft(rateLimit: 500) with { MaxAmountPerAction = 6000m }));
        submitted.IsSuccess.ShouldBeTrue(submitted.IsFailure ? submitted.Error.ToString() : null);
        submitted.Value.AwaitingReview.ShouldBeTrue();
        var approved = await app.AsUserAsync<AgentChangeReviewService, Result>(DemoAccounts.Officer, s => s.ApproveAsync(submitted.Value.ChangeRequestId!));
        await ForgetCopiesAsync();
        using var after = await DecideAsync(client, Body());

        approved.IsSuccess.ShouldBeTrue(approved.IsFailure ? approved.Error.ToString() : null);
        after.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await JsonOf(after)).GetProperty("outcome").GetString().ShouldBe("allow");
        (await AlertEventsAsync(agent.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task GetAsync_ForEveryDemoAgent_FindsItsSettingsRecorded()
    {
        var live = app.Services.GetRequiredService<LiveAgents>();
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        // Only the demo agents: the other tests of this class edit their own agents behind Warden's back.
        var ids = (await db.Agents.AsNoTracking().Select(a => a.Id).ToListAsync(Cancel))
            .Where(id => id.Value.StartsWith("agt_demo_", StringComparison.Ordinal)).ToList();

        foreach (var id in ids)
            (await live.GetAsync(id, Cancel)).ShouldNotBeNull(id.Value);
        ids.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task GetAsync_AnAgentRowCopiedInWithSql_HasNoRecordedSettings_AndIsRefused()
    {
        var agent = await RegisterAsync(app);
        var copy = AgentId.New(DateTimeOffset.UtcNow);
        await SqlAsync("CREATE TEMP TABLE forged AS SELECT * FROM Agents WHERE Id = {0}", agent.Id);
        await SqlAsync("UPDATE forged SET Id = {0}, Name = 'forged', NormalizedName = 'FORGED'", copy.Value);
        await SqlAsync("INSERT INTO Agents SELECT * FROM forged; DROP TABLE forged");
        var live = app.Services.GetRequiredService<LiveAgents>();

        var found = await live.GetAsync(copy, Cancel);

        found.ShouldBeNull();
        live.IsRefused(copy).ShouldBeTrue();
        app.Services.GetRequiredService<IntegrityAlerts>().Open.ShouldContain(a => a.Key == "agent:" + copy.Value);
    }

    [Fact]
    public async Task Decide_AfterAnSqlEditFollowedByAnAttestation_IsStillRefused()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        await SqlAsync("UPDATE Agents SET Scopes = REPLACE(Scopes, 'crm/accounts/*', '**') WHERE Id = {0}", agent.Id);

        var attested = await app.AsUserAsync<AgentRegistryService, Result>(DemoAccounts.Owner, s => s.AttestAsync(agent.Id));
        await ForgetCopiesAsync();
        using var after = await DecideAsync(client, Body());

        attested.IsSuccess.ShouldBeTrue(attested.IsFailure ? attested.Error.ToString() : null);
        after.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Baseline_RunsOncePerDatabase()
    {
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        var recorded = await db.AuditEvents.CountAsync(e => e.Kind == AgentSettingsDigest.RecordedKind, Cancel);

        await app.Services.GetRequiredService<AgentSettingsBaseline>().EnsureAsync(Cancel);

        (await db.AuditEvents.CountAsync(e => e.Kind == AgentSettingsBaseline.Kind, Cancel)).ShouldBe(1);
        (await db.AuditEvents.CountAsync(e => e.Kind == AgentSettingsDigest.RecordedKind, Cancel)).ShouldBe(recorded);
    }
}
