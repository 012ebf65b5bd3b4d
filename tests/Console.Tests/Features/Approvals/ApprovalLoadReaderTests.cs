using Microsoft.EntityFrameworkCore;
using Warden.Domain.Agents;
using Warden.Domain.Approvals;
using Warden.Domain.People;
using Warden.Features.Approvals;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Approvals;

/// <summary>
/// The load figures read as narrow rows give the numbers that loading every request of the window with
/// its votes gave: per officer counts, fast approvals and bursts, on a real database of each provider.
/// </summary>
public sealed class ApprovalLoadReaderTests : IDisposable
{
    private static readonly DateTimeOffset Since = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly ApprovalOptions Settings = new() { RubberStampSeconds = 10, MaxApprovalsPerHour = 3, LoadWindowDays = 7 };
    private static readonly Dictionary<string, string> AgentNames = new(StringComparer.Ordinal) { ["agt_load_a"] = "Support copilot" };
    private readonly string _folder = Directory.CreateTempSubdirectory("warden-load-").FullName;
    private ThrowawayPostgres? _cluster;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadAsync_OnSqlite_GivesTheFiguresOfTheWholeRequests()
    {
        var options = DesignTimeModel.Options<SqliteWardenDbContext>(b => b.UseSqlite($"Data Source={Path.Combine(_folder, "warden.db")};Pooling=False"));
        await using var db = new SqliteWardenDbContext(options);
        await db.Database.MigrateAsync(Cancel);

        await SeedAndCompareAsync(db);
    }

    [Fact]
    public async Task ReadAsync_OnPostgres_GivesTheFiguresOfTheWholeRequests()
    {
        Assert.SkipWhen(!ThrowawayPostgres.Available, "PostgreSQL 15 binaries are not installed.");
        _cluster = ThrowawayPostgres.Start();
        var options = DesignTimeModel.Options<PostgresWardenDbContext>(b => b.UseNpgsql(_cluster.ConnectionString()));
        await using var db = new PostgresWardenDbContext(options);
        await db.Database.MigrateAsync(Cancel);

        await SeedAndCompareAsync(db);
    }

    private static async Task SeedAndCompareAsync(WardenDbContext db)
    {
        db.ApprovalRequests.AddRange(Window());
        await db.SaveChangesAsync(Cancel);
        db.ChangeTracker.Clear();
        // The figures as they were first computed: every request of the window, whole, in the order of their ids.
        var whole = await db.ApprovalRequests.AsNoTracking().Where(r => r.OpenedAt >= Since).OrderBy(r => r.Id).ToListAsync(Cancel);
        var expected = ApprovalLoadCalculator.Compute(whole, AgentNames, 3, 1, Settings);

        var (decided, votes) = await ApprovalLoadReader.ReadAsync(db, Since, Cancel);
        var load = ApprovalLoadCalculator.Compute(decided, votes, AgentNames, 3, 1, Settings);

        load.Officers.ShouldBe(expected.Officers);
        load.RubberStamps.ShouldBe(expected.RubberStamps);
        load.Bursts.ShouldBe(expected.Bursts);
        (load.Decided, load.TimeToDecisionP50, load.TimeToDecisionP95).ShouldBe((expected.Decided, expected.TimeToDecisionP50, expected.TimeToDecisionP95));
        // What the window holds, so that the comparison is not of two empty sets.
        load.Officers.Select(o => (o.Name, o.Approvals, o.Denials, o.RubberStamps, o.BusiestHour))
            .ShouldBe([("Olivia", 7, 0, 1, 4), ("Oscar", 2, 2, 0, 1), ("Otto", 4, 0, 0, 2)]);
        load.RubberStamps.Select(s => (s.OfficerName, s.AgentName, s.Seconds)).ShouldBe([("Olivia", "Support copilot", 4)]);
        load.Bursts.ShouldHaveSingleItem().ShouldBe(new BurstFlag("Olivia", Since.AddHours(30).AddMinutes(1), 4));
        load.Decided.ShouldBe(10);
    }

    private static Voter Officer(string name) =>
        new(new UserId($"usr_load_{name.ToLowerInvariant()}"), $"{name.ToLowerInvariant()}@warden.example", name,
            new HashSet<string>([Roles.SecurityOfficer]), IsActive: true);

    private static readonly Voter Olivia = Officer("Olivia");
    private static readonly Voter Oscar = Officer("Oscar");
    private static readonly Voter Otto = Officer("Otto");
    private static readonly Voter Nina = Officer("Nina");

    private static int _next;

    private static ApprovalRequest Request(DateTimeOffset opened, RiskTier risk = RiskTier.High, string agent = "agt_load_a", string? preview = null) =>
        ApprovalRequest.Open($"dec_load{Interlocked.Increment(ref _next):D8}", agent, new UserId("usr_load_owner"), null, 1, risk, "hold",
                             opened, opened.AddHours(4), previewDigest: preview);

    private static ApprovalRequest Voted(ApprovalRequest request, params (Voter By, Verdict Verdict, TimeSpan After)[] votes)
    {
        foreach (var (by, verdict, after) in votes)
            request.Vote(by, verdict, "checked", request.OpenedAt + after, request.PreviewDigest).IsSuccess.ShouldBeTrue();
        return request;
    }

    /// <summary>
    /// A week's edge cases: a request opened at the window's first tick and one a tick before it (voted on
    /// inside the window, by an officer who votes on nothing else), critical requests with two votes, an
    /// approval 4 s after opening and one at exactly 10 s, a fast denial, four approvals inside an hour
    /// (one more than the bound) and a fifth exactly an hour after the first, a vote voided by a changed
    /// preview and cast again, and requests still waiting, expired and cancelled.
    /// </summary>
    private static IEnumerable<ApprovalRequest> Window()
    {
        var minute = TimeSpan.FromMinutes(1);
        yield return Voted(Request(Since), (Olivia, Verdict.Approve, TimeSpan.FromSeconds(4)));
        yield return Voted(Request(Since.AddTicks(-1)), (Nina, Verdict.Approve, TimeSpan.FromSeconds(2)));
        yield return Voted(Request(Since.AddHours(1), RiskTier.Critical), (Oscar, Verdict.Approve, minute), (Otto, Verdict.Approve, 3 * minute));
        yield return Voted(Request(Since.AddHours(2), RiskTier.Critical), (Oscar, Verdict.Approve, minute), (Olivia, Verdict.Approve, TimeSpan.FromSeconds(10)));
        yield return Voted(Request(Since.AddHours(3), RiskTier.Critical), (Otto, Verdict.Approve, minute), (Oscar, Verdict.Deny, 2 * minute));
        yield return Voted(Request(Since.AddHours(4), agent: "agt_load_b"), (Oscar, Verdict.Deny, TimeSpan.FromSeconds(3)));
        foreach (var offset in new[] { 0, 20, 40, 59 })
            yield return Voted(Request(Since.AddHours(30).AddMinutes(offset)), (Olivia, Verdict.Approve, minute));
        yield return Voted(Request(Since.AddHours(31)), (Olivia, Verdict.Approve, minute));

        var revoted = Request(Since.AddHours(40), RiskTier.Critical, preview: "digest-1");
        Voted(revoted, (Otto, Verdict.Approve, minute));
        revoted.ChangePreview("digest-2", Since.AddHours(40).AddMinutes(2)).IsSuccess.ShouldBeTrue();
        Voted(revoted, (Otto, Verdict.Approve, 3 * minute));
        yield return revoted;

        yield return Request(Since.AddDays(6));
        var expired = Request(Since.AddHours(50));
        expired.ExpireIfDue(Since.AddHours(55)).ShouldBeTrue();
        yield return expired;
        var cancelled = Request(Since.AddHours(60));
        cancelled.Cancel("the agent was contained", Since.AddHours(60).AddMinutes(1)).IsSuccess.ShouldBeTrue();
        yield return cancelled;
    }

    public void Dispose()
    {
        _cluster?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
