using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Metrics;
using Warden.Features.Compliance;
using Warden.Features.Evidence;
using Warden.Features.Metrics;
using Warden.Persistence;
using Warden.Tests.Features.Evidence;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Compliance;

/// <summary>Checks on crafted records, a pack made for one framework read back with pdftotext, and audit readiness following the data.</summary>
[Collection(AppCollection.Name)]
public sealed class ComplianceCoverageTests(EvidenceAppFactory app) : IClassFixture<EvidenceAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AttestationCheck_OnCraftedRecords_IsMetPartlyOrNotCoveredWithItsReason()
    {
        var (first, second) = await TwoAgentsAsync();
        var check = app.Services.GetServices<IComplianceCheck>().Single(c => c.Id == "attestations.current");
        var now = Now();
        var scope = new ComplianceScope(now.AddHours(-1), now.AddHours(1), new HashSet<string>([first, second]), ChainVerified: null);

        await AttestAsync(first, now);
        await AttestAsync(second, now);
        var met = await check.EvaluateAsync(scope, Ct);
        await AttestAsync(second, now.AddDays(-400));
        var partly = await check.EvaluateAsync(scope, Ct);
        await AttestAsync(first, now.AddDays(-400));
        var none = await check.EvaluateAsync(scope, Ct);

        met.Status.ShouldBe(CoverageStatus.Met, met.Reason);
        partly.Status.ShouldBe(CoverageStatus.Partly, partly.Reason);
        partly.Reason.ShouldStartWith("1 of 2 agents were attested");
        none.Status.ShouldBe(CoverageStatus.NotCovered, none.Reason);
        none.Reason.ShouldStartWith("0 of 2 agents");
    }

    [Fact]
    public async Task Pack_ForOneFramework_ShowsItsRequirementsAndTheCoverageTable_ReadByPdftotext()
    {
        var pack = await EvidenceScenario.GenerateAsync(app, DemoAccounts.Auditor, EvidenceScenario.Today(app) with { Framework = "owasp-agentic" });
        var folder = await EvidenceScenario.FolderAsync(app, pack.Id);
        var coverage = await app.Services.GetRequiredService<ComplianceEvaluator>()
            .EvaluateAsync(new ComplianceScope(pack.PeriodStart, pack.PeriodEnd, null, ChainVerified: true), "owasp-agentic", Ct);

        var text = PdfToText(Path.Combine(folder, EvidenceFiles.Pdf));

        pack.Status.ShouldBe(EvidencePackStatus.Completed, pack.Error);
        pack.Title.ShouldStartWith("Evidence pack for OWASP Top 10 for Agentic Applications 2026");
        text.ShouldContain("12. Compliance coverage");
        text.ShouldContain("Requirements of OWASP Top 10 for Agentic Applications 2026");
        Compact(text).ShouldContain(Compact("ASI10"));
        Compact(text).ShouldContain(Compact("Rogue Agents"));
        Compact(text).ShouldContain("https://genai.owasp.org/resource/");
        text.ShouldNotContain("GOVERN 1");
        foreach (var control in coverage.Controls)
        {
            Compact(text).ShouldContain(Compact($"({control.Control.Id})"));
            Compact(text).ShouldContain(Compact($"{control.Control.Id}: {ComplianceCoverage.Word(control.Status)}"));
        }
        Compact(text).ShouldContain(Compact("No kill switch was tripped and no containment drill was run in the period."));
        coverage.Controls.Select(c => c.Status).Distinct().Count().ShouldBeGreaterThan(1);
        pack.Completeness.ShouldBe(coverage.Score);
        pack.CompletenessNotes.ShouldBe(coverage.Summary);
    }

    [Fact]
    public async Task Generate_ForAnUnknownFramework_IsRefusedNamingTheKnownOnes()
    {
        var requested = await app.AsUserAsync<EvidenceService, Result<EvidencePackRow>>(DemoAccounts.Officer,
            s => s.GenerateAsync(EvidenceScenario.Today(app) with { Framework = "pci-dss" }, Ct));

        requested.IsFailure.ShouldBeTrue();
        requested.Error.Message.ShouldContain("'pci-dss' is not one of");
        requested.Error.Message.ShouldContain("owasp-agentic");
    }

    [Fact]
    public async Task AuditReadiness_FollowsTheRecords_WhenAnAgentsAttestationLapses()
    {
        var (agent, _) = await TwoAgentsAsync();
        await AttestAsync(agent, Now());
        var current = await AgentPackAsync(agent);
        var before = await ReadinessAsync(agent);

        await AttestAsync(agent, Now().AddDays(-400));
        var lapsed = await AgentPackAsync(agent);
        var after = await ReadinessAsync(agent);

        lapsed.Completeness.ShouldBeLessThan(current.Completeness);
        lapsed.CompletenessNotes.ShouldNotBeNull().ShouldContain("agent-ownership partly");
        current.CompletenessNotes.ShouldNotBeNull().ShouldNotContain("agent-ownership");
        before.ShouldBe(current.Completeness / 100.0, 1e-9);
        after.ShouldBe((current.Completeness + lapsed.Completeness) / 200.0, 1e-9);
    }

    [Fact]
    public async Task Overview_ForAnAuditor_ShowsEveryFrameworkFromOneRunOfTheChecks()
    {
        var overview = await app.AsUserAsync<ComplianceService, Result<ComplianceOverview>>(DemoAccounts.Auditor, s => s.GetOverviewAsync(30, Ct));

        overview.IsSuccess.ShouldBeTrue();
        overview.Value.Frameworks.Count.ShouldBe(5);
        var audit = overview.Value.Controls.Controls.Single(c => c.Control.Id == "audit-integrity");
        audit.Status.ShouldBe(CoverageStatus.NotCovered);
        audit.Reason.ShouldContain("an evidence pack verifies it");
        var containment = overview.Value.Frameworks.Single(f => f.Framework.Id == "eu-ai-act").Requirements.Single(r => r.Requirement.Id == "Art. 14(4)(e)");
        containment.Controls.Single().Status.ShouldBe(containment.Status);
    }

    private DateTimeOffset Now() => app.Services.GetRequiredService<TimeProvider>().GetUtcNow();

    private async Task<EvidencePackRow> AgentPackAsync(string agent)
    {
        var now = Now();
        // Each pack ends when it is asked for, so the second is a new period and a new pack.
        var pack = await EvidenceScenario.GenerateAsync(app, DemoAccounts.Officer, new EvidenceRequest(EvidenceScope.Agent, agent, now.AddHours(-1), now.AddHours(1)));
        pack.Status.ShouldBe(EvidencePackStatus.Completed, pack.Error);
        return pack;
    }

    private async Task<double> ReadinessAsync(string agent)
    {
        var report = await app.AsUserAsync<MetricsService, Result<MetricsReport>>(DemoAccounts.Officer,
            s => s.GetMetricsAsync(new MetricsQuery(1, MetricScope.Agent(agent)), Ct));
        return report.Value.Figures.EvidenceCompleteness.Current.ShouldNotBeNull();
    }

    private async Task<(string, string)> TwoAgentsAsync()
    {
        await using var db = await Contexts().CreateDbContextAsync(Ct);
        var agents = (await db.Agents.AsNoTracking().Where(a => a.Status == AgentStatus.Active).ToListAsync(Ct))
            .Select(a => a.Id.Value).Order(StringComparer.Ordinal).ToList();
        agents.Count.ShouldBeGreaterThanOrEqualTo(2);
        return (agents[0], agents[1]);
    }

    /// <summary>Sets when the agent was last attested, as if its owner had attested it then.</summary>
    private async Task AttestAsync(string agentId, DateTimeOffset at)
    {
        await using var db = await Contexts().CreateDbContextAsync(Ct);
        var id = AgentId.Parse(agentId);
        var agent = await db.Agents.SingleAsync(a => a.Id == id, Ct);
        db.Entry(agent).Property(a => a.LastAttestedAt).CurrentValue = at;
        await db.SaveChangesAsync(Ct);
    }

    private IDbContextFactory<WardenDbContext> Contexts() => app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>();

    private static string PdfToText(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("pdftotext", ["-enc", "UTF-8", path, "-"]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0);
        return text;
    }

    private static string Compact(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
