using Warden.Features.Policies;
using Warden.Features.Policies.Packs;

namespace Warden.Tests.Features.Policies.Packs;

/// <summary>Every pack shipped with Warden loads, explains each rule and passes its own test cases.</summary>
public sealed class ShippedPackTests
{
    public static TheoryData<string> PackIds() => [.. PolicyPacks.Shipped.Ids];

    [Fact]
    public void Shipped_HoldsTheFiveIndustryPacks()
    {
        PolicyPacks.Shipped.Ids.ShouldBe(["financial-services", "healthcare", "manufacturing-ot", "public-sector", "retail"]);
    }

    [Theory]
    [MemberData(nameof(PackIds))]
    public void OwnTests_OfEachPack_AllPass(string id)
    {
        var pack = PolicyPacks.Shipped.Latest.Single(p => p.Id == id);

        var results = PackAdoption.RunOwnTests(pack);

        results.Count.ShouldBeGreaterThanOrEqualTo(5);
        var failing = results.Where(r => !r.Passed).Select(r => $"'{r.Case.Name}': {r.Failure}").ToList();
        failing.ShouldBeEmpty($"pack {id} v{pack.Version} fails: {string.Join("; ", failing)}");
    }

    [Theory]
    [MemberData(nameof(PackIds))]
    public void Rules_OfEachPack_GiveARationaleAndNeverAllow(string id)
    {
        var pack = PolicyPacks.Shipped.Latest.Single(p => p.Id == id);

        pack.Rules.ShouldAllBe(r => !string.IsNullOrWhiteSpace(r.Rationale) && r.Effect.Kind != Warden.Domain.Policies.PolicyEffectKind.Allow);
        pack.Rules.Select(r => r.Id).ShouldAllBe(ruleId => pack.Tests.Any(t => t.ExpectRule == ruleId) || IsUntestableByRequest(pack, ruleId),
            "every rule a request can trigger has a test case naming it");
    }

    [Fact]
    public void AdoptingEveryPack_OnTheDefaultPolicy_RaisesNoPackProblem()
    {
        var yaml = DefaultPolicy.Yaml + "\npacks:\n" + string.Concat(PolicyPacks.Shipped.Latest.Select(p => $"  - {{ id: {p.Id}, version: {p.Version} }}\n"));

        var document = new PolicyYamlLoader().Compile(yaml);

        document.Problems.ShouldBeEmpty();
        PackAdoption.Check(document).ShouldBeEmpty();
        document.Policy!.Rules.Count.ShouldBe(document.Rules.Count + PolicyPacks.Shipped.Latest.Sum(p => p.Rules.Count));
    }

    // Mask rules act on outputs, and rules reading usage need traffic before them; the test format decides single requests.
    private static bool IsUntestableByRequest(PolicyPack pack, string ruleId)
    {
        var rule = pack.Rules.Single(r => r.Id == ruleId);
        return rule.Effect.Kind == Warden.Domain.Policies.PolicyEffectKind.Mask || rule.Match.Destinations.Count > 0
               || rule.Match.WhenText?.Contains("usage.RequestsThisMinute", StringComparison.Ordinal) == true;
    }
}
