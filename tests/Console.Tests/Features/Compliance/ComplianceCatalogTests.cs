using Warden.Features.Compliance;

namespace Warden.Tests.Features.Compliance;

/// <summary>The shipped mappings, and what a mapping or controls file that names something unknown does at load.</summary>
public sealed class ComplianceCatalogTests
{
    private static readonly HashSet<string> BuiltInChecks =
    [
        "agents.owned", "attestations.current", "credentials.short_lived", "policies.second_officer", "decisions.recorded",
        "approvals.separated", "containment.exercised", "autonomy.justified", "violations.reviewed", "guardrails.screened",
        "behaviour.baselined", "audit.chain_verified",
        // Registered by the Incidents and RedTeam features through AddComplianceCheck.
        "incidents.reviewed", "tabletop.exercised", "redteam.drilled",
    ];

    private const string Controls = """
        controls:
          - id: audit-integrity
            title: The audit log is verified
            section: 9. Audit-chain verification
            checks: [audit.chain_verified]
        """;

    [Fact]
    public void Embedded_Loads_WithEveryFrameworkTheDesignNamesAndASourceForEach()
    {
        var catalog = ComplianceCatalogLoader.Load(ComplianceCatalogLoader.Embedded(), BuiltInChecks);

        catalog.Frameworks.Select(f => f.Id).Order().ShouldBe(["eu-ai-act", "iso-42001", "nist-ai-rmf", "owasp-agentic", "soc2"]);
        catalog.Frameworks.ShouldAllBe(f => f.Source.Url.StartsWith("https://") && f.Source.Version.Length > 0 && f.Requirements.Count > 0);
        catalog.Framework("owasp-agentic")!.Requirements.Select(r => r.Id).ShouldBe(Enumerable.Range(1, 10).Select(i => $"ASI{i:00}"));
        catalog.Framework("owasp-agentic")!.Requirements[0].Title.ShouldBe("Agent Goal Hijack");
        catalog.Framework("eu-ai-act")!.Requirements.Select(r => r.Clause).ShouldAllBe(c => c.StartsWith("Article 12") || c.StartsWith("Article 14"));
        catalog.Framework("nist-ai-rmf")!.Requirements.Select(r => r.Id.Split(' ')[0]).Distinct().Order()
            .ShouldBe(["GOVERN", "MANAGE", "MAP", "MEASURE"]);
        catalog.Controls.SelectMany(c => c.Checks).ToHashSet().ShouldBe(BuiltInChecks, ignoreOrder: true);
    }

    [Fact]
    public void Load_WhenAMappingNamesAnUnknownControl_FailsWithOneLineGivingFileAndLine()
    {
        var mapping = """
            framework:
              id: internal
              name: Internal controls
              source: { document: Internal control set, version: "1", url: https://example.com/controls }
            requirements:
              - id: IC-1
                title: Logs are kept
                clause: IC-1
                controls: [audit-integrity, log-retention]
            """;

        var error = Should.Throw<ComplianceCatalogException>(() =>
            ComplianceCatalogLoader.Load([("controls.yaml", Controls), ("internal.yaml", mapping)], BuiltInChecks));

        error.Message.ShouldBe("internal.yaml line 9: requirement 'IC-1' names unknown control 'log-retention'.");
    }

    [Fact]
    public void Load_WhenAControlNamesAnUnknownCheck_FailsWithOneLineGivingFileAndLine()
    {
        var controls = Controls + "\n  - id: drills\n    title: Red-team drills pass\n    section: 5. Containment\n    checks:\n      - redteam.passed\n";

        var error = Should.Throw<ComplianceCatalogException>(() => ComplianceCatalogLoader.Load([("controls.yaml", controls)], BuiltInChecks));

        error.Message.ShouldBe("controls.yaml line 10: control 'drills' names unknown check 'redteam.passed'.");
        error.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void Load_WhenAFileIsNotYaml_NamesTheFileAndLine()
    {
        var error = Should.Throw<ComplianceCatalogException>(() =>
            ComplianceCatalogLoader.Load([("controls.yaml", "controls:\n  - id: [unclosed\n")], BuiltInChecks));

        error.Message.ShouldStartWith("controls.yaml line ");
        error.Message.ShouldContain("not valid YAML");
    }

    [Theory]
    [InlineData(new[] { CoverageStatus.Met, CoverageStatus.Met }, CoverageStatus.Met)]
    [InlineData(new[] { CoverageStatus.Met, CoverageStatus.NotCovered }, CoverageStatus.Partly)]
    [InlineData(new[] { CoverageStatus.Partly }, CoverageStatus.Partly)]
    [InlineData(new[] { CoverageStatus.NotCovered, CoverageStatus.NotCovered }, CoverageStatus.NotCovered)]
    public void Combine_MetOnlyWhenEveryCheckIsMet_NotCoveredOnlyWhenNoneIs(CoverageStatus[] checks, CoverageStatus expected)
    {
        ControlResult.Combine(checks).ShouldBe(expected);
    }
}
