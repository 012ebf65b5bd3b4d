using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Domain.Policies;
using Warden.Features.Policies;
using Warden.Tests.Domain.Decisions;

namespace Warden.Tests.Features.Policies;

/// <summary><c>when</c> expressions: what they can say, and the sandbox around them.</summary>
public sealed class PolicyExpressionTests
{
    private static DecisionContext Context(decimal amount = 0m, string resource = "crm/accounts/42", string segment = "finance", params GuardrailFinding[] findings) =>
        (ContextBuilder.Default with { Findings = findings })
            .WithRequest("crm.notes", OperationKind.Write, resource, amount: amount)
            .WithAgent(a => a with { Segment = segment }).Build();

    [Theory]
    [InlineData("request.Amount > 100 && agent.Segment == \"finance\"", 500, true)]
    [InlineData("request.Amount > 100 && agent.Segment == \"finance\"", 50, false)]
    [InlineData("glob(\"crm/accounts/*\", request.Resource) && request.Operation == \"write\"", 0, true)]
    [InlineData("matches(request.Resource, \"^crm/accounts/[0-9]+$\")", 0, true)]
    [InlineData("cidr(\"10.1.2.3\", \"10.0.0.0/8\") && !cidr(\"192.168.1.1\", \"10.0.0.0/8\")", 0, true)]
    [InlineData("time.HourIn(\"Europe/Berlin\") == 13 && time.Day == \"wed\"", 0, true)]
    [InlineData("usage.RecordsToday == 0 && agent.AutonomyLevel == 1 && agent.Risk == \"low\"", 0, true)]
    [InlineData("request.Tool.StartsWith(\"crm.\") || false", 0, true)]
    public void Compile_ExpressionsOverTheViews_EvaluateAsWritten(string expression, int amount, bool expected)
    {
        var when = PolicyExpressions.Compile(expression);

        when(Context(amount), RiskTier.Low).ShouldBe(expected);
    }

    [Fact]
    public void Compile_FindingHelper_SeesFamiliesAndKinds()
    {
        var when = PolicyExpressions.Compile("request.HasFinding(\"pii\") && !request.HasFinding(\"secret\")");

        when(Context(findings: new GuardrailFinding("pii.email", FindingSeverity.Medium, "$.to", 0.9)), RiskTier.Low).ShouldBeTrue();
        when(Context(), RiskTier.Low).ShouldBeFalse();
    }

    [Theory]
    [InlineData("request.Tool = \"x\"")]
    [InlineData("x = 1")]
    [InlineData("request.GetType().Assembly != null")]
    [InlineData("typeof(string) != null")]
    [InlineData("System.IO.File.ReadAllText(\"/etc/passwd\") != \"\"")]
    [InlineData("new System.Net.WebClient() != null")]
    [InlineData("Environment.Exit(1) == null")]
    [InlineData("request.Amount")]
    [InlineData("request.Nope > 1")]
    [InlineData("(x => x)(true)")]
    public void Compile_OutsideTheSandbox_IsRefusedWhenTheDocumentIsRead(string expression)
    {
        Should.Throw<PolicyExpressionException>(() => PolicyExpressions.Compile(expression)).Message.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Compile_TooLongOrTooDeep_IsRefusedBeforeParsing()
    {
        Should.Throw<PolicyExpressionException>(() => PolicyExpressions.Compile("true && " + new string(' ', PolicyExpressions.MaxLength)))
            .Message.ShouldContain("at most");
        Should.Throw<PolicyExpressionException>(() => PolicyExpressions.Compile(new string('(', 13) + "true" + new string(')', 13)))
            .Message.ShouldContain("nests");
    }

    [Fact]
    public void Evaluate_CatastrophicRegexBait_StaysBounded_AndAnUnsupportedPatternFailsTheDecisionClosed()
    {
        var bait = PolicyExpressions.Compile("matches(request.Resource, \"^(a+)+$\")");
        var unsupported = new PolicyRule("backreference", string.Empty,
            new PolicyMatch { When = PolicyExpressions.Compile("matches(request.Resource, \"(a)\\\\1\")") }, PolicyEffect.Allow);

        bait(Context(resource: new string('a', 20_000) + "!"), RiskTier.Low).ShouldBeFalse();
        var decision = DecisionEngine.Decide(Context() with { Policy = new Policy("p", [unsupported]) });
        decision.Outcome.ShouldBe(DecisionOutcome.Deny);
        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.EvaluationError);
    }

    [Fact]
    public void Load_WhenField_IsCompiledWithTheRule_AndErrorsNameTheLine()
    {
        var loader = new PolicyYamlLoader();
        var good = loader.Compile("version: v1\nrules:\n  - id: big-finance\n    when: request.Amount > 1000 && agent.Segment == \"finance\"\n    effect: deny\n");
        var bad = loader.Compile("version: v1\nrules:\n  - id: broken\n    when: request.Amount = 5\n    effect: deny\n");

        good.Problems.ShouldBeEmpty();
        var rule = good.Policy!.Rules.ShouldHaveSingleItem();
        rule.Match.WhenText.ShouldBe("request.Amount > 1000 && agent.Segment == \"finance\"");
        DecisionEngine.Decide(Context(5000) with { Policy = good.Policy }).MatchedRuleId.ShouldBe("big-finance");
        DecisionEngine.Decide(Context(5) with { Policy = good.Policy }).MatchedRuleId.ShouldBeNull();
        var problem = bad.Problems.ShouldHaveSingleItem();
        (problem.Code, problem.Line, problem.Column).ShouldBe((PolicyYamlErrors.InvalidExpressionCode, 4L, 11L));
        problem.Message.ShouldContain("'when' of rule 'broken'");
        PolicyValidator.IsEmpty(rule.Match).ShouldBeFalse();
    }
}
