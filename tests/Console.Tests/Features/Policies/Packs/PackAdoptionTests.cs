using Warden.Features.Policies;
using Warden.Features.Policies.Packs;

namespace Warden.Tests.Features.Policies.Packs;

/// <summary>A policy adopts packs by id and version under <c>packs</c>; what it cannot adopt is a problem at its line.</summary>
public sealed class PackAdoptionTests
{
    private const string Own = """
        version: "org-1"
        rules:
          - id: deny-prod-deletes
            match: { operations: [delete], resources: ["prod/**"] }
            effect: deny
            message: No.

        """;

    private static readonly PolicyYamlLoader Loader = new();

    [Fact]
    public void Compile_AdoptedPack_AddsItsRulesAfterTheDocumentsUnderPrefixedIds()
    {
        var document = Loader.Compile(Own + "packs:\n  - { id: retail, version: 1 }\n");

        document.Problems.ShouldBeEmpty();
        document.Rules.Select(r => r.Id).ShouldBe(["deny-prod-deletes"]);
        document.Policy!.Rules[0].Id.ShouldBe("deny-prod-deletes");
        document.Policy.Rules.Skip(1).Select(r => r.Id).ShouldContain("retail/spend-approval");
        document.Packs.ShouldHaveSingleItem().Pack.Id.ShouldBe("retail");
    }

    [Fact]
    public void Compile_UnknownPackId_IsAProblemNamingTheShippedPacks()
    {
        var document = Loader.Compile(Own + "packs:\n  - { id: banking, version: 1 }\n");

        var problem = document.Problems.ShouldHaveSingleItem();
        problem.Code.ShouldBe(PackErrors.UnknownPackCode);
        problem.Line.ShouldBe(8);
        problem.Message.ShouldBe("there is no pack 'banking'; the packs are financial-services, healthcare, manufacturing-ot, public-sector, retail.");
        document.Policy.ShouldBeNull();
    }

    [Fact]
    public void Compile_UnknownVersion_IsAProblemNamingTheVersionsThereAre()
    {
        var document = Loader.Compile(Own + "packs:\n  - { id: healthcare, version: 7 }\n");

        var problem = document.Problems.ShouldHaveSingleItem();
        problem.Code.ShouldBe(PackErrors.UnknownVersionCode);
        problem.Message.ShouldBe("pack 'healthcare' has no version 7; it has 1.");
    }

    [Theory]
    [InlineData("packs: retail\n", "'packs' must be a list")]
    [InlineData("packs:\n  - { id: retail }\n", "'version' is required")]
    [InlineData("packs:\n  - { id: retail, version: one }\n", "whole number")]
    [InlineData("packs:\n  - { id: retail, version: 1, pin: true }\n", "pin")]
    [InlineData("packs:\n  - { id: retail, version: 1 }\n  - { id: retail, version: 1 }\n", "adopted twice")]
    public void Compile_MalformedAdoption_IsAReadableProblem(string packs, string expected)
    {
        var document = Loader.Compile(Own + packs);

        document.Problems.ShouldNotBeEmpty();
        document.Problems[0].Message.ShouldContain(expected, Case.Insensitive);
        document.Policy.ShouldBeNull();
    }

    [Fact]
    public void CompilePack_RuleThatAllows_IsRefused()
    {
        var compiled = PolicyYamlLoader.CompilePack(BrokenPack.Replace("effect: require_approval\n    approvers: 2", "effect: allow", StringComparison.Ordinal));

        compiled.Pack.ShouldBeNull();
        compiled.Problems.ShouldContain(p => p.Code == PackErrors.AllowInPackCode);
    }

    [Fact]
    public void CompilePack_RuleWithoutRationale_IsRefused()
    {
        var compiled = PolicyYamlLoader.CompilePack(BrokenPack.Replace("    rationale: Four eyes.\n", "", StringComparison.Ordinal));

        compiled.Pack.ShouldBeNull();
        compiled.Problems.ShouldContain(p => p.Message.Contains("needs a 'rationale'", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_PackWhoseOwnTestFails_CannotBeAdoptedAndTheFailingCaseIsNamed()
    {
        var broken = PolicyYamlLoader.CompilePack(BrokenPack);
        var loader = new PolicyYamlLoader(new PolicyPacks([broken.Pack!]));

        var document = loader.Compile(Own + "packs:\n  - { id: broken-pack, version: 1 }\n");
        var problems = PackAdoption.Check(document);

        broken.Problems.ShouldHaveSingleItem().Message.ShouldContain("test 'small payments go alone' fails");
        problems.ShouldNotBeEmpty();
        problems.ShouldAllBe(p => p.Code == PackErrors.TestFailedCode && p.Line == 8);
        problems[0].Message.ShouldStartWith("pack 'broken-pack' version 1 cannot be adopted: its own test 'small payments go alone' fails");
    }

    [Fact]
    public void Check_ShippedPackOnAPolicyThatAgreesWithIt_HasNoProblem()
    {
        var document = Loader.Compile(Own + "packs:\n  - { id: financial-services, version: 1 }\n");

        PackAdoption.Check(document).ShouldBeEmpty();
    }

    /// <summary>A pack whose second test expects what its rule does not do.</summary>
    private const string BrokenPack = """
        pack: broken-pack
        version: 1
        title: Broken
        summary: A pack whose tests fail.
        rules:
          - id: payments-dual-control
            description: Payments need two.
            rationale: Four eyes.
            match: { tools: [payments.send] }
            effect: require_approval
            approvers: 2
        tests:
          - name: payments wait
            request: { tool: payments.send, operation: execute, amount: 10, currency: EUR }
            agent: { autonomy_level: 3 }
            expect: pending
            rule: payments-dual-control
          - name: small payments go alone
            request: { tool: payments.send, operation: execute, amount: 10, currency: EUR }
            agent: { autonomy_level: 3 }
            expect: allow
        """;
}
