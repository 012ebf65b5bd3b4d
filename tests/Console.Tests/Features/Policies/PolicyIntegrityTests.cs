using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Features.AuditLog;
using Warden.Features.Policies;
using Warden.Persistence;
using Warden.Tests.Features.Decisions;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Policies;

/// <summary>
/// Someone with write access to the database tries to put a policy in force behind Warden's back:
/// a forged version and publication, a published version edited in place, its hash edited to match.
/// Each test is on its own app and real SQLite file.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PolicyIntegrityTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The default policy under another label with an allow rule for account updates on top (held at autonomy level 0 otherwise).</summary>
    private static string AllowUpdates(string label) =>
        DefaultPolicy.Yaml.Replace($"version: \"{DefaultPolicy.Version}\"", $"version: \"{label}\"", StringComparison.Ordinal)
            .Replace("rules:\n", """
                rules:
                  - id: allow-updates
                    description: Everything an agent asks is allowed.
                    match: { tools: [crm.update] }
                    effect: allow

                """, StringComparison.Ordinal);

    private static object Update() => Body("crm.update", "write", parameters: new { accountId = "42" });

    private static async Task SqlAsync(WardenAppFactory app, FormattableString sql)
    {
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        await db.Database.ExecuteSqlAsync(sql, Cancel);
    }

    private static async Task<int> PublishRelabelledDefaultAsync(WardenAppFactory app, string label)
    {
        var yaml = DefaultPolicy.Yaml.Replace($"version: \"{DefaultPolicy.Version}\"", $"version: \"{label}\"", StringComparison.Ordinal);
        var saved = await app.AsUserAsync<PolicyService, Result<PolicyVersionView>>(DemoAccounts.Officer, s => s.SaveAsync(yaml, "same rules, new label"));
        saved.IsSuccess.ShouldBeTrue(saved.IsFailure ? saved.Error.ToString() : null);
        var published = await app.AsUserAsync<PolicyPublicationService, Result<PublishResult>>(DemoAccounts.Officer, s => s.PublishAsync(saved.Value.Id, "relabel"));
        published.IsSuccess.ShouldBeTrue(published.IsFailure ? published.Error.ToString() : null);
        published.Value.Publication.State.ShouldBe(PublicationState.Published);
        return saved.Value.Id;
    }

    private static async Task<string> OutcomeAndVersionAsync(HttpClient client)
    {
        using var response = await DecideAsync(client, Update());
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        var answer = await JsonOf(response);
        return $"{answer.GetProperty("outcome").GetString()} under {answer.GetProperty("policyVersion").GetString()}";
    }

    private static async Task<int> AlertEventsAsync(WardenAppFactory app)
    {
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        return await db.AuditEvents.CountAsync(e => e.Kind == IntegrityAlerts.AlertKind && e.Subject.StartsWith("policy"), Cancel);
    }

    [Fact]
    public async Task Refresh_AForgedVersionAndPublicationInsertedWithSql_IsNotInForce_AndRaisesAnAlert()
    {
        await using var app = WardenAppFactory.With();
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        (await OutcomeAndVersionAsync(client)).ShouldBe($"pending under {DefaultPolicy.Version}");
        var forged = AllowUpdates("allow-all");
        var hash = PolicyVersion.Hash(forged);
        await SqlAsync(app, $"""
            INSERT INTO PolicyVersions (Label, Content, ContentHash, AuthorId, AuthorName, SavedAt, Comment, Problems, TestsPassed, TestsFailed)
            SELECT 'allow-all', {forged}, {hash}, AuthorId, AuthorName, SavedAt, 'forged', 0, 1, 0 FROM PolicyVersions WHERE Id = 1
            """);
        await SqlAsync(app, $"""
            INSERT INTO PolicyPublications (VersionId, State, RequestedBy, RequestedByName, RequestedAt, Reason, Widened, Narrowed, Replayed, PublishedAt, Version)
            SELECT (SELECT MAX(Id) FROM PolicyVersions), 'Published', RequestedBy, RequestedByName, RequestedAt, 'forged', 0, 0, 0, PublishedAt + 10000000000, 0
            FROM PolicyPublications WHERE Id = 1
            """);

        await app.Services.GetRequiredService<PolicyStore>().RefreshAsync(Cancel);

        (await OutcomeAndVersionAsync(client)).ShouldBe($"pending under {DefaultPolicy.Version}");
        app.Services.GetRequiredService<PublishedPolicy>().Current.Version.ShouldBe(DefaultPolicy.Version);
        app.Services.GetRequiredService<IntegrityAlerts>().Open.ShouldContain(a => a.Key.StartsWith("policy:publication:", StringComparison.Ordinal));
        (await AlertEventsAsync(app)).ShouldBe(1);
        var overview = await app.AsUserAsync<PolicyService, Result<PolicyOverview>>(DemoAccounts.Officer, s => s.GetOverviewAsync());
        overview.Value.InForce.ShouldNotBeNull().Label.ShouldBe(DefaultPolicy.Version);
    }

    [Fact]
    public async Task Refresh_APublishedVersionsContentEditedInTheDatabase_IsRefused_AndThePreviousVersionIsInForce()
    {
        await using var app = WardenAppFactory.With();
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        var version = await PublishRelabelledDefaultAsync(app, "relabelled-1");
        (await OutcomeAndVersionAsync(client)).ShouldBe("pending under relabelled-1");

        await SqlAsync(app, $"UPDATE PolicyVersions SET Content = {AllowUpdates("relabelled-1")} WHERE Id = {version}");
        await app.Services.GetRequiredService<PolicyStore>().RefreshAsync(Cancel);

        (await OutcomeAndVersionAsync(client)).ShouldBe($"pending under {DefaultPolicy.Version}");
        app.Services.GetRequiredService<IntegrityAlerts>().Open.ShouldContain(a => a.Key == $"policy:version:{version}");
        (await AlertEventsAsync(app)).ShouldBe(1);
    }

    [Fact]
    public async Task Refresh_ContentAndHashEditedToMatch_WithoutAPublicationEventOfThatHash_IsRefused()
    {
        await using var app = WardenAppFactory.With();
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        var version = await PublishRelabelledDefaultAsync(app, "relabelled-1");
        var forged = AllowUpdates("relabelled-1");

        await SqlAsync(app, $"UPDATE PolicyVersions SET Content = {forged}, ContentHash = {PolicyVersion.Hash(forged)} WHERE Id = {version}");
        await app.Services.GetRequiredService<PolicyStore>().RefreshAsync(Cancel);

        (await OutcomeAndVersionAsync(client)).ShouldBe($"pending under {DefaultPolicy.Version}");
        app.Services.GetRequiredService<IntegrityAlerts>().Open.ShouldContain(a => a.Key == $"policy:version:{version}");
        var republished = await app.AsUserAsync<PolicyPublicationService, Result<PublishResult>>(DemoAccounts.Officer, s => s.PublishAsync(version, "again"));
        republished.IsSuccess.ShouldBeTrue(republished.IsFailure ? republished.Error.ToString() : null);
    }

    [Fact]
    public async Task Publish_AVersionWhoseContentNoLongerMatchesItsHash_IsRefused()
    {
        await using var app = WardenAppFactory.With();
        var yaml = DefaultPolicy.Yaml.Replace($"version: \"{DefaultPolicy.Version}\"", "version: \"saved-1\"", StringComparison.Ordinal);
        var saved = await app.AsUserAsync<PolicyService, Result<PolicyVersionView>>(DemoAccounts.Officer, s => s.SaveAsync(yaml, "saved"));
        await SqlAsync(app, $"UPDATE PolicyVersions SET Content = {AllowUpdates("saved-1")} WHERE Id = {saved.Value.Id}");

        var published = await app.AsUserAsync<PolicyPublicationService, Result<PublishResult>>(DemoAccounts.Officer, s => s.PublishAsync(saved.Value.Id, "publish it"));

        published.Error.ShouldBe(PolicyServiceErrors.ChangedOutsideWarden);
    }

    [Fact]
    public async Task StartUp_WithNoVersionThatCanBeVerified_RefusesEveryDecision()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("warden-policy-").FullName;
        try
        {
            TestAgent agent;
            await using (var first = WardenAppFactory.With(dataDirectory: dataDirectory))
            {
                agent = await RegisterAsync(first);
                var forged = AllowUpdates("allow-all");
                await SqlAsync(first, $"UPDATE PolicyVersions SET Content = {forged}, ContentHash = {PolicyVersion.Hash(forged)}");
            }
            await using var app = WardenAppFactory.With(dataDirectory: dataDirectory);
            using var client = Client(app, await TokenAsync(app, agent.Id, agent.Secret));

            using var response = await DecideAsync(client, Update());

            response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            (await JsonOf(response)).GetProperty("type").GetString().ShouldNotBeNull().ShouldEndWith("policy-unverified");
            app.Services.GetRequiredService<PublishedPolicy>().IsVerified.ShouldBeFalse();
            app.Services.GetRequiredService<IntegrityAlerts>().Open.ShouldContain(a => a.Key == "policy:none");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Rollback_ThroughWarden_PutsTheEarlierVersionInForce_WithoutAnAlert()
    {
        await using var app = WardenAppFactory.With();
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        await PublishRelabelledDefaultAsync(app, "relabelled-1");

        var rollback = await app.AsUserAsync<PolicyPublicationService, Result<PublishResult>>(DemoAccounts.Officer, s => s.PublishAsync(1, "roll back"));
        await app.Services.GetRequiredService<PolicyStore>().RefreshAsync(Cancel);

        rollback.IsSuccess.ShouldBeTrue(rollback.IsFailure ? rollback.Error.ToString() : null);
        (await OutcomeAndVersionAsync(client)).ShouldBe($"pending under {DefaultPolicy.Version}");
        app.Services.GetRequiredService<IntegrityAlerts>().Open.ShouldBeEmpty();
        (await AlertEventsAsync(app)).ShouldBe(0);
    }
}
