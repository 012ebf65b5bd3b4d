using Warden.Features;

namespace Warden.Tests.Architecture;

/// <summary>
/// Dependencies between features point one way: a feature uses only features of a lower rank. A
/// reaction that would point back is an event, or a port defined below and implemented above; a page
/// showing a higher feature's component takes it from a registry that feature fills.
/// </summary>
public sealed class FeatureDirectionTests
{
    // The same table as docs/architecture.md. A new feature needs a row before the tests pass.
    private static readonly FeatureRanks Ranks = new(
    [
        /* 0  */ ["Notifications"],
        /* 1  */ ["AuditLog"],
        /* 2  */ ["Agents"],
        /* 3  */ ["Guardrails", "Credentials", "Policies", "Containment"],
        /* 4  */ ["Decisions"],
        /* 5  */ ["Approvals", "Gateway"],
        /* 6  */ ["Tools"],
        /* 7  */ ["Autonomy", "Rollback"],
        /* 8  */ ["Behaviour"],
        /* 9  */ ["Metrics"],
        /* 10 */ ["Compliance"],
        /* 11 */ ["Evidence"],
        /* 12 */ ["Incidents", "RedTeam"],
        /* 13 */ ["Dashboard", "Administration", "Demo", "Setup"],
    ]);

    private static readonly Lazy<FeatureGraph> Warden = new(() => FeatureDependencies.Of(typeof(FeatureRegistration).Assembly, "Warden.Features"));

    [Fact]
    public void Features_UseOnlyFeaturesOfALowerRank()
    {
        var backEdges = Ranks.BackEdges(Warden.Value).Select(e => e.ToString()).ToList();

        backEdges.ShouldBeEmpty("features must use only lower ranks:\n" + string.Join('\n', backEdges));
    }

    [Fact]
    public void Graph_OfWarden_SeesUsesInServicesAndPages()
    {
        var uses = Warden.Value.Dependencies.Select(d => d.ToString()).ToList();

        uses.ShouldContain("Agents -> AuditLog via AgentRegistryService uses AuditWriter");
        uses.ShouldContain("Dashboard -> Metrics via DashboardPage uses GovernanceMetricsSection");
    }

    [Fact]
    public void Features_AllHaveARank()
    {
        var unranked = Ranks.Unranked(Warden.Value);

        unranked.ShouldBeEmpty("give these features a rank in the table: " + string.Join(", ", unranked));
    }

    [Fact]
    public void RankTable_NamesOnlyFeaturesThatExist()
    {
        var missing = Ranks.Features.Except(Warden.Value.Features).ToList();

        missing.ShouldBeEmpty("no such feature folder: " + string.Join(", ", missing));
    }
}
