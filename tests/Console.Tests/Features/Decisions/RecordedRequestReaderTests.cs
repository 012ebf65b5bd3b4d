using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Features.Decisions;
using Warden.Features.Guardrails;
using Warden.Features.Policies;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Decisions;

/// <summary>The recorded requests policy replay reads, paged from the real decision table on real SQLite.</summary>
[Collection(AppCollection.Name)]
public sealed class RecordedRequestReaderTests
{
    private static readonly DateTimeOffset From = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddHours(1);

    private static DecisionRecord Decided(string id, int minutes, string? reviewOf = null) => new()
    {
        Id = id, AgentId = "agt_recorded", DecidedAt = From.AddMinutes(minutes), Tool = "crm.read", Operation = "read",
        Resource = "crm/accounts/42", Records = 3, Amount = 12.5m, Currency = "EUR", PolicyVersion = "p-1", ReviewOf = reviewOf,
    };

    private static async Task<IRecordedRequests> RecordAsync(WardenAppFactory app)
    {
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        db.Decisions.AddRange(
            Decided("dec_a", 10), Decided("dec_b", 20), Decided("dec_c", 30), Decided("dec_d", 30),
            Decided("dec_review", 40, reviewOf: "dec_a"), Decided("dec_before", -1), Decided("dec_at_end", 60));
        db.GuardrailFindings.Add(new FindingRecord
        {
            DecisionId = "dec_b", AgentId = "agt_recorded", FoundAt = From, Stage = "request", Kind = "pii.email", Scanner = "regex",
            Location = "parameters.note", Confidence = 0.9, Excerpt = "[email]",
        });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return app.Services.GetRequiredService<IRecordedRequests>();
    }

    [Fact]
    public async Task GetPageAsync_AfterThePreviousPage_GoesOnNewestFirstWithoutReviewsOrRequestsOutsideTheWindow()
    {
        await using var app = WardenAppFactory.With(new Dictionary<string, string?> { ["Demo:RunAgents"] = "false" });
        var requests = await RecordAsync(app);
        var ct = TestContext.Current.CancellationToken;

        var first = await requests.GetPageAsync(From, To, null, 2, ct);
        var second = await requests.GetPageAsync(From, To, first[^1], 2, ct);
        var third = await requests.GetPageAsync(From, To, second[^1], 2, ct);

        first.Select(r => r.DecisionId).ShouldBe(["dec_d", "dec_c"]);
        second.Select(r => r.DecisionId).ShouldBe(["dec_b", "dec_a"]);
        third.ShouldBeEmpty();
        var withFinding = second[0];
        (withFinding.Tool, withFinding.Operation, withFinding.Resource, withFinding.Records, withFinding.Amount, withFinding.Currency)
            .ShouldBe(("crm.read", "read", "crm/accounts/42", 3, 12.5m, "EUR"));
        withFinding.Findings.ShouldHaveSingleItem().Kind.ShouldBe("pii.email");
        second[1].Findings.ShouldBeEmpty();
    }

    [Fact]
    public async Task CountAsync_CountsTheRequestsOfTheWindow_NoFurtherThanItsLimit()
    {
        await using var app = WardenAppFactory.With(new Dictionary<string, string?> { ["Demo:RunAgents"] = "false" });
        var requests = await RecordAsync(app);

        var all = await requests.CountAsync(From, To, 100, TestContext.Current.CancellationToken);
        var limited = await requests.CountAsync(From, To, 3, TestContext.Current.CancellationToken);

        all.ShouldBe(4);
        limited.ShouldBe(3);
    }
}
