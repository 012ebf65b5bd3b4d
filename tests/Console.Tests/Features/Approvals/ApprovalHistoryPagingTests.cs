using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Approvals;
using Warden.Domain.People;
using Warden.Features.Approvals;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Approvals;

/// <summary>An app whose demo agents stay still, so the history holds only what these tests put in it.</summary>
public sealed class ApprovalHistoryFactory() : WardenAppFactory(new Dictionary<string, string?> { ["Demo:RunAgents"] = "false" });

/// <summary>
/// The history read a page at a time, older and newer, under each filter: the pages together are
/// every matching finished request exactly once, newest first (opened, then id), whichever way the
/// officer filter is read (an officer with few votes, and one with more than
/// <see cref="ApprovalService.FewOfficerVotes"/>).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ApprovalHistoryPagingTests(ApprovalHistoryFactory app) : IClassFixture<ApprovalHistoryFactory>, IAsyncLifetime
{
    private const string Busy = "usr_history_busy";
    private const string Rare = "usr_history_rare";
    private static readonly string[] Agents = ["agt_history_a", "agt_history_b", "agt_history_c"];
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    // More pages than the history holds: a cursor that fails to move ends the walk instead of spinning.
    private const int MaxPages = 1_000;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        if (await db.ApprovalRequests.AnyAsync(r => r.AgentId == Agents[0], Cancel))
            return;
        // The busy officer votes on four in five, more than the officer filter reads by key; every
        // seventh request opens at the same tick as the one before it, and 150 (most voted on by the rare
        // officer) at one tick, so ties are broken by id, across pages too.
        var count = (ApprovalService.FewOfficerVotes + 400) * 10 / 8;
        var opened = Start;
        for (var i = 0; i < count; i++)
        {
            var burst = i > 1000 && i < 1000 + 150;
            if (i % 7 != 6 && !burst)
                opened = opened.AddMinutes(3);
            var request = ApprovalRequest.Open($"dec_history{i:D6}", Agents[i % 3], new UserId("usr_history_owner"), null, 1, RiskTier.High, "hold",
                opened, opened.AddHours(4));
            if (i % 10 == 9)
                request.Cancel("the agent was contained", opened.AddMinutes(1));
            else if (i % 10 == 8)
                request.ExpireIfDue(opened.AddHours(5));
            else if (i != count - 1)
            {
                var rare = burst || i % 40 == 3;
                var verdict = i % 4 == 1 || rare ? Verdict.Deny : Verdict.Approve;
                Check(request.Vote(Officer(rare ? Rare : Busy), verdict, "checked", opened.AddMinutes(2)));
            }
            db.ApprovalRequests.Add(request);
        }
        await db.SaveChangesAsync(Cancel);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public static TheoryData<string> Filters => new(
        "none", "denied", "cancelled", "agent", "busy officer", "rare officer", "period", "busy officer + denied", "rare officer + agent", "agent + period");

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task GetHistoryAsync_PagedOlderToTheEnd_ReadsEveryMatchingRequestOnceNewestFirst(string name)
    {
        var filter = FilterNamed(name);
        var expected = await ExpectedAsync(filter);

        var (read, pages) = await WalkOlderAsync(filter);

        expected.Count.ShouldBeGreaterThan(0);
        read.ShouldBe(expected);
        pages[0].HasNewer.ShouldBeFalse();
        pages[^1].HasOlder.ShouldBeFalse();
        pages.Take(pages.Count - 1).ShouldAllBe(p => p.Cards.Count == ApprovalHistoryFilter.PageSize && p.HasOlder);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("busy officer")]
    [InlineData("rare officer")]
    public async Task GetHistoryAsync_PagedNewerFromTheOldestPage_ReadsThePagesBackInTurn(string name)
    {
        var filter = FilterNamed(name);
        var (_, older) = await WalkOlderAsync(filter);

        var newer = new List<ApprovalHistoryPage> { older[^1] };
        while (newer[^1].HasNewer && newer.Count < MaxPages)
            newer.Add(await PageAsync(filter with { After = ApprovalHistoryCursor.Of(newer[^1].Cards[0]) }));

        var back = newer.Skip(1).Reverse().ToList();
        back.Count.ShouldBe(older.Count - 1);
        back.SelectMany(p => p.Cards.Select(c => c.Id)).ShouldBe(older.Take(older.Count - 1).SelectMany(p => p.Cards.Select(c => c.Id)));
        back.ShouldAllBe(p => p.Cards.Count == ApprovalHistoryFilter.PageSize && p.HasOlder);
    }

    [Fact]
    public async Task GetHistoryAsync_NewerThanTheNewestRequest_IsAnEmptyPageWithNothingEitherSide()
    {
        var first = await PageAsync(new ApprovalHistoryFilter(AgentId: Agents[1]));

        var newer = await PageAsync(new ApprovalHistoryFilter(AgentId: Agents[1], After: ApprovalHistoryCursor.Of(first.Cards[0])));

        newer.Cards.ShouldBeEmpty();
        newer.HasNewer.ShouldBeFalse();
        newer.HasOlder.ShouldBeFalse();
    }

    [Fact]
    public async Task GetVotersAsync_ListsEachOfficerWhoVotedOnce()
    {
        var voters = await app.AsUserAsync<ApprovalService, Result<IReadOnlyList<(string Id, string Name)>>>(DemoAccounts.Auditor, s => s.GetVotersAsync());

        voters.Value.Select(v => v.Id).ShouldBe([Busy, Rare], ignoreOrder: true);
        voters.Value.Single(v => v.Id == Rare).Name.ShouldBe("Officer " + Rare);
    }

    private static ApprovalHistoryFilter FilterNamed(string name)
    {
        var period = (From: Start.AddDays(2), To: Start.AddDays(5));
        return name switch
        {
            "none" => new(),
            "denied" => new(State: ApprovalState.Denied),
            "cancelled" => new(State: ApprovalState.Cancelled),
            "agent" => new(AgentId: Agents[2]),
            "busy officer" => new(OfficerId: Busy),
            "rare officer" => new(OfficerId: Rare),
            "period" => new(From: period.From, To: period.To),
            "busy officer + denied" => new(State: ApprovalState.Denied, OfficerId: Busy),
            "rare officer + agent" => new(AgentId: Agents[0], OfficerId: Rare),
            "agent + period" => new(AgentId: Agents[1], From: period.From, To: period.To),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
    }

    /// <summary>Every finished request the filter names, ordered as the history promises, from all rows at once.</summary>
    private async Task<List<string>> ExpectedAsync(ApprovalHistoryFilter filter)
    {
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        var all = await db.ApprovalRequests.AsNoTracking().ToListAsync(Cancel);
        return all.Where(r => r.State != ApprovalState.Pending
                && (filter.State is null || r.State == filter.State)
                && (filter.AgentId is null || r.AgentId == filter.AgentId)
                && (filter.OfficerId is null || r.Votes.Any(v => v.VoterId.Value == filter.OfficerId))
                && (filter.From is null || r.OpenedAt >= filter.From)
                && (filter.To is null || r.OpenedAt < filter.To))
            .OrderByDescending(r => r.OpenedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal)
            .Select(r => r.Id).ToList();
    }

    private async Task<(List<string> Read, List<ApprovalHistoryPage> Pages)> WalkOlderAsync(ApprovalHistoryFilter filter)
    {
        var pages = new List<ApprovalHistoryPage> { await PageAsync(filter) };
        while (pages[^1].HasOlder && pages.Count < MaxPages)
            pages.Add(await PageAsync(filter with { Before = ApprovalHistoryCursor.Of(pages[^1].Cards[^1]) }));
        return (pages.SelectMany(p => p.Cards.Select(c => c.Id)).ToList(), pages);
    }

    private async Task<ApprovalHistoryPage> PageAsync(ApprovalHistoryFilter filter)
    {
        var page = await app.AsUserAsync<ApprovalService, Result<ApprovalHistoryPage>>(DemoAccounts.Auditor, s => s.GetHistoryAsync(filter));
        page.IsSuccess.ShouldBeTrue(page.Error.ToString());
        return page.Value;
    }

    private static Voter Officer(string id) =>
        new(new UserId(id), id + "@history.example", "Officer " + id, new HashSet<string> { Roles.SecurityOfficer }, IsActive: true);

    private static void Check(Result<ApprovalState> result) => result.IsSuccess.ShouldBeTrue(result.IsFailure ? result.Error.ToString() : null);
}
