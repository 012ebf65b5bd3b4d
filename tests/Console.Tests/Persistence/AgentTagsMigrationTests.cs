using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Warden.Domain.Agents;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Persistence;

/// <summary>
/// A database made before the AgentTags table, with agents in it, gains one row per tag of each agent
/// when it is migrated: the directory's tag filter finds the agents registered before the table existed.
/// </summary>
public sealed class AgentTagsMigrationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("warden-tags-").FullName;
    private ThrowawayPostgres? _cluster;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Migrate_OnSqlite_FillsAgentTagsFromEachAgentsTagList()
    {
        var options = DesignTimeModel.Options<SqliteWardenDbContext>(b => b.UseSqlite($"Data Source={Path.Combine(_folder, "warden.db")};Pooling=False"));
        await using var db = new SqliteWardenDbContext(options);
        await db.GetService<IMigrator>().MigrateAsync("Baseline", Cancel);
        var (tagged, untagged) = (AgentId.New(DateTimeOffset.UtcNow), AgentId.New(DateTimeOffset.UtcNow));
        await InsertSqliteAgentAsync(db, tagged, """["pci","eu","customer-facing"]""");
        await InsertSqliteAgentAsync(db, untagged, "[]");

        await db.Database.MigrateAsync(Cancel);

        (await TagsAsync(db, tagged)).ShouldBe(["customer-facing", "eu", "pci"]);
        (await TagsAsync(db, untagged)).ShouldBeEmpty();
        (await db.Agents.Where(a => db.AgentTags.Any(t => t.Tag == "pci" && t.AgentId == a.Id)).Select(a => a.Id).ToListAsync(Cancel)).ShouldBe([tagged]);
    }

    [Fact]
    public async Task Migrate_OnPostgres_FillsAgentTagsFromEachAgentsTagList()
    {
        Assert.SkipWhen(!ThrowawayPostgres.Available, "PostgreSQL 15 binaries are not installed.");
        _cluster = ThrowawayPostgres.Start();
        var options = DesignTimeModel.Options<PostgresWardenDbContext>(b => b.UseNpgsql(_cluster.ConnectionString()));
        await using var db = new PostgresWardenDbContext(options);
        await db.GetService<IMigrator>().MigrateAsync("Baseline", Cancel);
        var (tagged, untagged) = (AgentId.New(DateTimeOffset.UtcNow), AgentId.New(DateTimeOffset.UtcNow));
        await InsertPostgresAgentAsync(db, tagged, "ARRAY['pci','eu','customer-facing']");
        await InsertPostgresAgentAsync(db, untagged, "ARRAY[]::text[]");

        await db.Database.MigrateAsync(Cancel);

        (await TagsAsync(db, tagged)).ShouldBe(["customer-facing", "eu", "pci"]);
        (await TagsAsync(db, untagged)).ShouldBeEmpty();
    }

    public void Dispose()
    {
        _cluster?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static Task<List<string>> TagsAsync(WardenDbContext db, AgentId agent) =>
        db.AgentTags.AsNoTracking().Where(t => t.AgentId == agent).Select(t => t.Tag).OrderBy(t => t).ToListAsync(Cancel);

    // The row as the baseline schema holds it, written in SQL: the model of this build would also write tag rows.
    private static Task<int> InsertSqliteAgentAsync(WardenDbContext db, AgentId id, string tags) =>
        db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO Agents (Id, Name, NormalizedName, Purpose, Segment, Tags, Tools, Scopes, RateLimitPerMinute, HighestRisk, OwnerId,
                                AutonomyLevel, Status, RegisteredAt, LastAttestedAt, UpdatedAt, Version)
            VALUES ({0}, {1}, {2}, 'Reads invoices.', 'finance', {3}, '[]', '[]', 60, 'Low', 'owner-1', 0, 'Active', 0, 0, 0, 0)
            """, [id.Value, "Agent " + id.Value, "AGENT " + id.Value, tags], Cancel);

    private static Task<int> InsertPostgresAgentAsync(WardenDbContext db, AgentId id, string tags)
    {
        var sql = """
            INSERT INTO "Agents" ("Id", "Name", "NormalizedName", "Purpose", "Segment", "Tags", "Tools", "Scopes", "RateLimitPerMinute", "HighestRisk",
                                  "OwnerId", "AutonomyLevel", "Status", "RegisteredAt", "LastAttestedAt", "UpdatedAt", "Version")
            VALUES ({0}, {1}, {2}, 'Reads invoices.', 'finance', TAGS, '[]', '[]', 60, 'Low', 'owner-1', 0, 'Active', now(), now(), now(), 0)
            """.Replace("TAGS", tags, StringComparison.Ordinal);
        return db.Database.ExecuteSqlRawAsync(sql, [id.Value, "Agent " + id.Value, "AGENT " + id.Value], Cancel);
    }
}
