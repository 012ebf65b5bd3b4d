using Warden.Features.Policies;

namespace Warden.Tests.Features.Policies;

/// <summary><c>review: after</c> on an allow rule: the action runs at once and waits for a person's review.</summary>
public sealed class ReviewAfterRuleTests
{
    private readonly PolicyYamlLoader _loader = new();

    [Fact]
    public void Compile_AllowWithReviewAfter_ReadsTheReviewAndItsTestsPass()
    {
        const string yaml = """
            version: r1
            rules:
              - id: support-writes-reviewed
                match: { tools: [tickets.update] }
                effect: allow
                review: after
            tests:
              - name: ticket updates run and are reviewed afterwards
                request: { tool: tickets.update, operation: write }
                expect: allow
                rule: support-writes-reviewed
                reason: review_after
            """;

        var document = _loader.Compile(yaml);

        document.Problems.ShouldBeEmpty();
        document.Rules.Single().Effect.ReviewAfter.ShouldBeTrue();
        PolicyTestRunner.Run(document.Policy!, document.Tests).ShouldAllBe(r => r.Passed);
    }

    [Theory]
    [InlineData("effect: deny\n    review: after", PolicyYamlErrors.UnknownFieldCode, "allow")]
    [InlineData("effect: allow\n    review: before", PolicyYamlErrors.InvalidValueCode, "before")]
    public void Compile_ReviewOutsideAnAllowOrUnknown_IsAProblemAtItsLine(string effect, string code, string mentioned)
    {
        var yaml = $"version: r1\nrules:\n  - id: a\n    {effect}\n";

        var document = _loader.Compile(yaml);

        var problem = document.Problems.ShouldHaveSingleItem();
        (problem.Code, problem.Line).ShouldBe((code, 5));
        problem.Message.ShouldContain(mentioned);
    }

    [Fact]
    public void Run_ATestOfALevelTwoWrite_TakesTheToolsCompensationFromTheAgent()
    {
        const string yaml = """
            version: r1
            rules: []
            tests:
              - name: with a compensating action it goes alone
                request: { tool: crm.update, operation: write }
                agent: { autonomy_level: 2, risk: medium, compensable: true }
                expect: allow
              - name: without one it waits
                request: { tool: crm.update, operation: write }
                agent: { autonomy_level: 2, risk: medium }
                expect: pending
            """;

        var document = _loader.Compile(yaml);

        document.Problems.ShouldBeEmpty();
        PolicyTestRunner.Run(document.Policy!, document.Tests).Where(r => !r.Passed).Select(r => $"{r.Case.Name}: {r.Failure}").ShouldBeEmpty();
    }
}
