using Hangfire;
using Microsoft.EntityFrameworkCore;
using Warden.Persistence;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.People;
using Warden.Features.Evidence;
using Warden.Features.Evidence.Rendering;
using Warden.Infrastructure.Hosting;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Evidence;

[Collection(AppCollection.Name)]
public sealed class EvidenceDefinitionTests(EvidenceAppFactory app) : IClassFixture<EvidenceAppFactory>
{
    public static EvidenceDefinitionDraft Valid() =>
        new("Monthly, everything", EvidenceScope.Everything, null, EvidencePeriodKind.Monthly, null, null, "0 3 1 * *", "Europe/Paris",
            [Roles.Auditor, Roles.SecurityOfficer], 365);

    [Fact]
    public async Task CreateDefinition_ByAnOfficer_IsSavedAndScheduledAsARecurringJob()
    {
        var created = await app.AsUserAsync<EvidenceDefinitionService, Result<string>>(DemoAccounts.Officer, s => s.CreateDefinitionAsync(Valid(), TestContext.Current.CancellationToken));

        created.IsSuccess.ShouldBeTrue(created.Error.ToString());
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = connection.GetRecurringJobs().Where(j => j.Id == "evidence-" + created.Value).ShouldHaveSingleItem();
        job.Cron.ShouldBe("0 3 1 * *");
        job.TimeZoneId.ShouldBe("Europe/Paris");
    }

    [Fact]
    public async Task DeleteDefinition_ByAnAdministrator_RemovesItsRecurringJob()
    {
        var created = await app.AsUserAsync<EvidenceDefinitionService, Result<string>>(DemoAccounts.Admin, s => s.CreateDefinitionAsync(Valid() with { Name = "to delete" }, TestContext.Current.CancellationToken));

        var deleted = await app.AsUserAsync<EvidenceDefinitionService, Result>(DemoAccounts.Admin, s => s.DeleteDefinitionAsync(created.Value, TestContext.Current.CancellationToken));

        deleted.IsSuccess.ShouldBeTrue(deleted.Error.ToString());
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        connection.GetRecurringJobs().ShouldNotContain(j => j.Id == "evidence-" + created.Value);
    }

    [Fact]
    public async Task ScheduledRun_BuildsThePackOfTheLastWholePeriod_AndASecondRunOfTheSamePeriodAddsNothing()
    {
        var created = await app.AsUserAsync<EvidenceDefinitionService, Result<string>>(DemoAccounts.Officer,
            s => s.CreateDefinitionAsync(Valid() with { Name = "Daily, everything", Period = EvidencePeriodKind.Daily, TimeZone = "UTC" }, TestContext.Current.CancellationToken));
        var job = app.Services.GetRequiredService<EvidencePackJob>();

        await job.RunDefinitionAsync(created.Value, TestContext.Current.CancellationToken);
        await job.RunDefinitionAsync(created.Value, TestContext.Current.CancellationToken);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var pack = (await db.EvidencePacks.Where(p => p.DefinitionId == created.Value).ToListAsync(TestContext.Current.CancellationToken)).ShouldHaveSingleItem();
        var today = app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime.Date;
        pack.Status.ShouldBe(EvidencePackStatus.Completed, pack.Error);
        pack.PeriodStart.ShouldBe(new DateTimeOffset(today.AddDays(-1), TimeSpan.Zero));
        pack.PeriodEnd.ShouldBe(new DateTimeOffset(today, TimeSpan.Zero));
        pack.ExpiresAt.ShouldBe(pack.PeriodEnd.AddDays(365));
    }

    [Fact]
    public void Validate_AValidDraft_FindsNothing() => EvidenceDefinitionRules.Validate(Valid()).ShouldBeEmpty();

    [Fact]
    public void Validate_ABadDraft_NamesEveryFieldToFix()
    {
        var draft = new EvidenceDefinitionDraft(" ", EvidenceScope.Agent, null, EvidencePeriodKind.Custom, null, null, "every day", "Mars/Olympus", ["Janitor"], 0);

        var problems = EvidenceDefinitionRules.Validate(draft);

        problems.Select(p => p[..p.IndexOf(':', StringComparison.Ordinal)]).ShouldBe(
            ["Name", "Scope", "Period", "Schedule", "Time zone", "Recipients", "Retention"]);
        problems.ShouldContain("Scope: name the agent the packs cover.");
    }

    [Fact]
    public void Validate_ACustomPeriodThatEndsBeforeItStarts_IsRefused()
    {
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

        var problems = EvidenceDefinitionRules.Validate(Valid() with { Period = EvidencePeriodKind.Custom, CustomStart = start, CustomEnd = start.AddDays(-1) });

        problems.ShouldBe(["Period: the custom period must end after it starts."]);
    }

    [Theory]
    [InlineData(EvidencePeriodKind.Daily, "2026-11-24T00:00:00+01:00", "2026-11-25T00:00:00+01:00")]
    [InlineData(EvidencePeriodKind.Weekly, "2026-11-16T00:00:00+01:00", "2026-11-23T00:00:00+01:00")]
    [InlineData(EvidencePeriodKind.Monthly, "2026-10-01T00:00:00+02:00", "2026-11-01T00:00:00+01:00")]
    [InlineData(EvidencePeriodKind.Quarterly, "2026-07-01T00:00:00+02:00", "2026-10-01T00:00:00+02:00")]
    public void LastCompleted_IsTheWholePeriodBeforeNowInTheDefinitionsTimeZone(EvidencePeriodKind kind, string start, string end)
    {
        EvidenceDefinitionRules.TryZone("Europe/Paris", out var paris).ShouldBeTrue();

        var period = EvidencePeriods.LastCompleted(kind, paris, new DateTimeOffset(2026, 11, 25, 22, 30, 0, TimeSpan.Zero));

        period.Start.ShouldBe(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture));
        period.End.ShouldBe(DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Fonts_WhenDejaVuIsMissing_FailStartUpWithOneLineNamingThePackage()
    {
        var empty = Directory.CreateTempSubdirectory("warden-nofonts-").FullName;
        try
        {
            var failure = Should.Throw<StartupException>(() => new EvidenceFonts([empty]));

            failure.Message.ShouldContain("fonts-dejavu-core");
            failure.Message.ShouldNotContain("\n");
        }
        finally
        {
            Directory.Delete(empty);
        }
    }
}
