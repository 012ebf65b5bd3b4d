using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Containment;
using Warden.Domain.Incidents;
using Warden.Features.Compliance;
using Warden.Features.Containment;
using Warden.Features.Evidence;
using Warden.Features.Evidence.Rendering;
using Warden.Features.Incidents;
using Warden.Persistence;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Incidents;

/// <summary>A breaker trip through the real API opens one incident; officers work it, review it and close it; tabletops are recorded; packs list both.</summary>
[Collection(AppCollection.Name)]
public sealed class IncidentFlowTests(IncidentFlowTests.BreakerApp app) : IClassFixture<IncidentFlowTests.BreakerApp>
{
    public sealed class BreakerApp() : WardenAppFactory(new Dictionary<string, string?>
    {
        ["Containment:Breakers:0:Id"] = "scope-probe",
        ["Containment:Breakers:0:Kind"] = "violations",
        ["Containment:Breakers:0:Threshold"] = "3",
        ["Containment:Breakers:0:WindowSeconds"] = "60",
        ["Containment:Breakers:0:Codes:0"] = "resource_out_of_scope",
        ["Incidents:SweepSeconds"] = "1",
    });

    private static readonly IncidentReview Review = new("Three reads outside the agent's scope", "A prompt asked for salaries", "Scope narrowed");

    [Fact]
    public async Task ABreakerTrip_OpensOneIncident_WithItsRunbookAndTimelineFromTheFirstViolationToTheRelease()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        for (var i = 0; i < 3; i++)
            (await JsonOf(await DecideAsync(client, Body(resource: $"hr/salaries/{i}")))).GetProperty("outcome").GetString().ShouldBe("deny");
        var incident = await IncidentOfAsync(agent.Id);
        (await DecideAsync(client, Body())).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await DecideAsync(client, Body())).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await RefusalsCountedAsync(incident.ContainmentId, 2);
        (await app.AsUserAsync<ContainmentService, Result<bool>>(DemoAccounts.Officer, s => s.ReleaseAsync(incident.ContainmentId, "scope fixed"))).Value.ShouldBeTrue();

        var details = (await app.AsUserAsync<IncidentService, Result<IncidentDetails>>(DemoAccounts.Auditor, s => s.GetIncidentAsync(incident.Id))).Value;

        details.Type.ShouldBe(IncidentType.BreakerViolations);
        details.Steps.Select(s => s.Text).ShouldBe(Runbooks.For(IncidentType.BreakerViolations).Steps);
        details.OwnerName.ShouldNotBeNullOrEmpty();
        details.Refusals.ShouldBe(2);
        var kinds = details.Timeline.Select(e => e.Kind).ToList();
        kinds.ShouldContain("detection");
        kinds.IndexOf("detection").ShouldBeLessThan(kinds.IndexOf("trip"));
        kinds.IndexOf("trip").ShouldBeLessThan(kinds.IndexOf("refusal"));
        kinds.LastIndexOf("refusal").ShouldBeLessThan(kinds.IndexOf("release"));
        details.Timeline.Single(e => e.Kind == "detection").Title.ShouldBe("First violation");
        details.TimeToContain.DetectionToTrip.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(TimeSpan.Zero);
        details.TimeToContain.DetectionToFirstRefusal.ShouldNotBeNull().ShouldBeGreaterThan(details.TimeToContain.DetectionToTrip!.Value);
        (await IncidentCountAsync(incident.ContainmentId)).ShouldBe(1);
    }

    [Fact]
    public async Task TwoOpeners_RacingOverTheSameTrip_OpenExactlyOneIncident()
    {
        var agent = await RegisterAsync(app);
        var trip = await app.AsUserAsync<ContainmentService, Result<TripResult>>(DemoAccounts.Officer, s => s.TripAsync(ContainmentScope.Agent, agent.Id, "suspicious traffic"));
        var first = app.Services.GetRequiredService<IncidentOpener>();
        var second = ActivatorUtilities.CreateInstance<IncidentOpener>(app.Services);

        await Task.WhenAll(first.OpenPendingAsync(CancellationToken.None), second.OpenPendingAsync(CancellationToken.None), second.OpenPendingAsync(CancellationToken.None));

        (await IncidentCountAsync(trip.Value.ContainmentId)).ShouldBe(1);
        var opened = await app.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
            var id = await db.Incidents.Where(i => i.ContainmentId == trip.Value.ContainmentId).Select(i => i.Id).SingleAsync();
            return await db.AuditEvents.CountAsync(e => e.Subject == id && e.Kind == "incident.opened");
        });
        opened.ShouldBe(1);
    }

    [Fact]
    public async Task Close_RequiresAReview_AndIsAudited()
    {
        var agent = await RegisterAsync(app);
        await app.AsUserAsync<ContainmentService, Result<TripResult>>(DemoAccounts.Officer, s => s.TripAsync(ContainmentScope.Agent, agent.Id, "manual stop"));
        var incident = await IncidentOfAsync(agent.Id);

        var bare = await app.AsUserAsync<IncidentService, Result>(DemoAccounts.Officer, s => s.CloseAsync(incident.Id, new IncidentReview("", "", "")));
        var byOwner = await app.AsUserAsync<IncidentService, Result>(DemoAccounts.Owner, s => s.CloseAsync(incident.Id, Review));
        (await app.AsUserAsync<IncidentService, Result>(DemoAccounts.Officer, s => s.TickStepAsync(incident.Id, 0))).IsSuccess.ShouldBeTrue();
        var closed = await app.AsUserAsync<IncidentService, Result>(DemoAccounts.Officer2, s => s.CloseAsync(incident.Id, Review));
        var details = (await app.AsUserAsync<IncidentService, Result<IncidentDetails>>(DemoAccounts.Owner, s => s.GetIncidentAsync(incident.Id))).Value;

        bare.Error.ShouldBe(IncidentErrors.ReviewIncomplete);
        byOwner.Error.Code.ShouldBe("access.forbidden");
        closed.IsSuccess.ShouldBeTrue(closed.Error.ToString());
        details.State.ShouldBe(IncidentState.Closed);
        details.Type.ShouldBe(IncidentType.ManualKill);
        details.Steps[0].DoneByName.ShouldNotBeNull();
        details.Timeline.Select(e => e.Kind).ShouldContain("incident.closed");
        details.Timeline.Select(e => e.Kind).ShouldContain("incident.updated");
        var closedList = (await app.AsUserAsync<IncidentService, Result<IReadOnlyList<IncidentRow>>>(DemoAccounts.Auditor, s => s.GetIncidentsAsync(IncidentFilter.Closed))).Value;
        closedList.Select(r => r.Id).ShouldContain(incident.Id);
        var otherOwner = await app.AsUserAsync<IncidentService, Result<IncidentDetails>>(DemoAccounts.Owner2, s => s.GetIncidentAsync(incident.Id));
        otherOwner.Error.ShouldBe(IncidentErrors.NotFound);
    }

    [Fact]
    public async Task ATabletopExercise_IsScheduledHeldAndRecorded_AndTheEvidenceSectionListsIncidentsAndExercises()
    {
        var agent = await RegisterAsync(app);
        await app.AsUserAsync<ContainmentService, Result<TripResult>>(DemoAccounts.Officer, s => s.TripAsync(ContainmentScope.Agent, agent.Id, "prompt injection in a ticket"));
        var incident = await IncidentOfAsync(agent.Id);
        var when = DateTimeOffset.UtcNow.AddHours(1);
        var scheduled = await app.AsUserAsync<TabletopService, Result<TabletopRow>>(DemoAccounts.Officer,
            s => s.ScheduleAsync(new TabletopDraft("Exfiltration drill", "data-exfiltration", when)));
        scheduled.IsSuccess.ShouldBeTrue(scheduled.Error.ToString());
        (await app.AsUserAsync<TabletopService, Result>(DemoAccounts.Officer, s => s.TickStepAsync(scheduled.Value.Id, 1))).IsSuccess.ShouldBeTrue();
        var held = await app.AsUserAsync<TabletopService, Result>(DemoAccounts.Officer, s => s.CompleteAsync(scheduled.Value.Id, "Olivia, Oscar", "The DPO contact was out of date"));

        var rows = (await app.AsUserAsync<TabletopService, Result<IReadOnlyList<TabletopRow>>>(DemoAccounts.Auditor, s => s.GetExercisesAsync())).Value;
        var doc = new RecordingDocument();
        await app.Services.GetServices<IEvidenceSection>().OfType<IncidentEvidenceSection>().Single()
            .WriteAsync(doc, new EvidenceSectionScope(when.AddDays(-1), when.AddDays(1), AgentIds: null, Agents: []), CancellationToken.None);
        var checks = app.Services.GetServices<IComplianceCheck>().ToDictionary(c => c.Id);
        var period = new ComplianceScope(when.AddDays(-1), when.AddDays(1), new HashSet<string> { agent.Id }, ChainVerified: null);
        var rehearsed = await checks["tabletop.exercised"].EvaluateAsync(period, CancellationToken.None);
        var reviewed = await checks["incidents.reviewed"].EvaluateAsync(period, CancellationToken.None);

        held.IsSuccess.ShouldBeTrue(held.Error.ToString());
        var row = rows.Single(r => r.Id == scheduled.Value.Id);
        row.State.ShouldBe(TabletopState.Completed);
        row.Participants.ShouldBe("Olivia, Oscar");
        row.Steps[1].DoneByName.ShouldNotBeNull();
        (await AuditKindsAsync(scheduled.Value.Id)).ShouldBe(["tabletop.scheduled", "tabletop.updated", "tabletop.completed"]);
        doc.Text.ShouldContain(IncidentEvidenceSection.Title);
        doc.Text.ShouldContain(incident.Id);
        doc.Text.ShouldContain(nameof(IncidentType.Injection));
        doc.Text.ShouldContain(scheduled.Value.Id);
        doc.Text.ShouldContain("The DPO contact was out of date");
        rehearsed.Status.ShouldBe(CoverageStatus.Met, rehearsed.Reason);
        reviewed.Status.ShouldNotBe(CoverageStatus.Met, reviewed.Reason);
        reviewed.Reason.ShouldContain("closed with a review");
    }

    private async Task<Incident> IncidentOfAsync(string agentId)
    {
        for (var i = 0; i < 100; i++)
        {
            var found = await app.InScopeAsync(async sp =>
            {
                await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
                return await db.Incidents.AsNoTracking().FirstOrDefaultAsync(x => x.AgentId == agentId);
            });
            if (found is not null)
                return found;
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        throw new ShouldAssertException($"No incident was opened for {agentId}.");
    }

    private async Task RefusalsCountedAsync(string containmentId, long count)
    {
        for (var i = 0; i < 100; i++)
        {
            var counted = await app.InScopeAsync(async sp =>
            {
                await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
                return await db.Containments.Where(c => c.Id == containmentId).Select(c => c.RefusalCount).SingleAsync();
            });
            if (counted >= count)
                return;
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        throw new ShouldAssertException($"The refusals of {containmentId} were never written.");
    }

    private Task<int> IncidentCountAsync(string containmentId) => app.InScopeAsync(async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
        return await db.Incidents.CountAsync(i => i.ContainmentId == containmentId);
    });

    private Task<List<string>> AuditKindsAsync(string subject) => app.InScopeAsync(async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
        return await db.AuditEvents.Where(e => e.Subject == subject).OrderBy(e => e.Sequence).Select(e => e.Kind).ToListAsync();
    });

    private sealed class RecordingDocument : IEvidenceDocument, IEvidenceTable
    {
        private readonly System.Text.StringBuilder _text = new();

        public string Text => _text.ToString();

        public void Title(string title, string subtitle) => _text.AppendLine(title);

        public void Heading(string text, int level = 1) => _text.AppendLine(text);

        public void Paragraph(string text, bool emphasis = false) => _text.AppendLine(text);

        public void Facts(IReadOnlyList<KeyValuePair<string, string>> facts) => _text.AppendLine(string.Join(" | ", facts));

        public IEvidenceTable Table(IReadOnlyList<EvidenceColumn> columns) => this;

        public void Row(params string[] cells) => _text.AppendLine(string.Join(" | ", cells));

        public void BarChart(string caption, IReadOnlyList<ChartBar> bars) => _text.AppendLine(caption);

        public void Save(Stream output, IReadOnlyList<EvidenceAttachment> attachments)
        {
        }

        public void Dispose()
        {
        }
    }
}
