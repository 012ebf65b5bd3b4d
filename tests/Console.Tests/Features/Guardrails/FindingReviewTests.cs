using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.People;
using Warden.Features.Guardrails;
using Warden.Persistence;
using Warden.Tests.Features.Approvals;
using Warden.Tests.Features.Decisions;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Guardrails;

[Collection(AppCollection.Name)]
public sealed class FindingReviewTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private async Task<long> FindingAsync(TestAgent? agent = null, string value = "AKIAIOSFODNN7EXAMPLE")
    {
        agent ??= await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        using var response = await DecideAsync(client, Body(parameters: new { note = $"key {value}" }));
        var id = (await JsonOf(response)).GetProperty("id").GetString();
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        return await db.GuardrailFindings.Where(f => f.DecisionId == id).Select(f => f.Id).SingleAsync(TestContext.Current.CancellationToken);
    }

    private Task<Result<FindingRow>> ReviewAsync(string email, long id, FindingReview verdict, string? note) =>
        app.AsUserAsync<GuardrailReviewService, Result<FindingRow>>(email, s => s.ReviewAsync(id, verdict, note));

    private async Task<ScannerTuning?> CloudKeyTuningAsync()
    {
        var tuning = await app.AsUserAsync<GuardrailReviewService, Result<GuardrailTuning>>(DemoAccounts.Admin, s => s.GetTuningAsync());
        tuning.IsSuccess.ShouldBeTrue();
        tuning.Value.PackVersions.ShouldContain("injection-v1");
        return tuning.Value.Scanners.SingleOrDefault(t => t.Scanner == "cloud-key" && t.PatternId is null);
    }

    [Fact]
    public async Task Review_FalsePositiveWithANote_IsRecordedAudited_AndCountsInTheScannersRate()
    {
        var first = await FindingAsync();
        var second = await FindingAsync();
        var before = await CloudKeyTuningAsync();

        var falsePositive = await ReviewAsync(DemoAccounts.Officer, first, FindingReview.FalsePositive, "  A documented example key.  ");
        var truePositive = await ReviewAsync(DemoAccounts.Officer, second, FindingReview.TruePositive, null);
        var after = await CloudKeyTuningAsync();

        falsePositive.IsSuccess.ShouldBeTrue(falsePositive.IsFailure ? falsePositive.Error.ToString() : null);
        falsePositive.Value.Review.ShouldBe(FindingReview.FalsePositive);
        falsePositive.Value.ReviewNote.ShouldBe("A documented example key.");
        falsePositive.Value.ReviewedByName.ShouldNotBeNullOrEmpty();
        truePositive.IsSuccess.ShouldBeTrue();
        after.ShouldNotBeNull();
        after.Reviewed.ShouldBe((before?.Reviewed ?? 0) + 2);
        after.FalsePositives.ShouldBe((before?.FalsePositives ?? 0) + 1);
        after.FalsePositiveRate.ShouldBe((double)after.FalsePositives / after.Reviewed);
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.Kind == "guardrail.finding_reviewed").Select(e => e.Data).ToListAsync(TestContext.Current.CancellationToken);
        events.ShouldContain(d => d.Contains($"\"finding\":{first}", StringComparison.Ordinal) && d.Contains("false_positive", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Review_Refusals_LeaveTheFindingUnreviewed()
    {
        var id = await FindingAsync();

        (await ReviewAsync(DemoAccounts.Officer, id, FindingReview.FalsePositive, " ")).Error.ShouldBe(GuardrailErrors.NoteRequired);
        (await ReviewAsync(DemoAccounts.Officer, id, FindingReview.Unreviewed, "x")).Error.ShouldBe(GuardrailErrors.VerdictRequired);
        (await ReviewAsync(DemoAccounts.Officer, id, FindingReview.TruePositive, new string('x', 1001))).Error.ShouldBe(GuardrailErrors.NoteTooLong);
        (await ReviewAsync(DemoAccounts.Officer, -1, FindingReview.TruePositive, null)).Error.ShouldBe(GuardrailErrors.NotFound);
        (await ReviewAsync(DemoAccounts.Auditor, id, FindingReview.TruePositive, null)).Error.Code.ShouldBe("access.forbidden");

        var unreviewed = await app.AsUserAsync<GuardrailReviewService, Result<IReadOnlyList<FindingRow>>>(DemoAccounts.Auditor,
            s => s.GetFindingsAsync(new FindingFilter(FindingReview.Unreviewed, "secret")));
        unreviewed.Value.ShouldContain(f => f.Id == id);
    }

    [Fact]
    public async Task Review_OfAnAgentTheOfficerOwns_IsLeftToAnotherOfficer()
    {
        var both = await ApprovalScenario.NewPersonAsync(app, "officer-owner", Roles.SecurityOfficer, Roles.AgentOwner);
        var agent = await ApprovalScenario.RegisterAsAsync(app, both, Draft());
        var id = await FindingAsync(agent);

        (await ReviewAsync(both, id, FindingReview.FalsePositive, "mine, harmless")).Error.ShouldBe(GuardrailErrors.OwnAgent);
        (await ReviewAsync(DemoAccounts.Officer, id, FindingReview.TruePositive, null)).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public async Task Review_TwoOfficersAtOnce_ExactlyOneVerdictStands()
    {
        var id = await FindingAsync();
        var second = await ApprovalScenario.NewOfficerAsync(app);

        var results = await Task.WhenAll(
            ReviewAsync(DemoAccounts.Officer, id, FindingReview.FalsePositive, "example key"),
            ReviewAsync(second, id, FindingReview.TruePositive, null),
            ReviewAsync(DemoAccounts.Officer2, id, FindingReview.TruePositive, null));

        results.Count(r => r.IsSuccess).ShouldBe(1);
        results.Where(r => r.IsFailure).ShouldAllBe(r => r.Error.Code == "guardrail.already_reviewed");
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        (await db.AuditEvents.CountAsync(e => e.Kind == "guardrail.finding_reviewed" && e.Data.Contains($"\"finding\":{id},"), TestContext.Current.CancellationToken)).ShouldBe(1);
    }
}
