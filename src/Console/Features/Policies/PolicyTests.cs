using System.Globalization;
using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Domain.People;
using Warden.Domain.Policies;
using Warden.Domain.Previews;
using YamlDotNet.RepresentationModel;
using static Warden.Features.Policies.PolicyRuleReader;
using static Warden.Features.Policies.PolicyYamlNodes;

namespace Warden.Features.Policies;

/// <summary>
/// A test case a policy document carries: a request, the agent context it is made in, and the
/// expected outcome (and, optionally, the rule that decides and the first reason's code).
/// </summary>
public sealed record PolicyTestCase(
    string Name,
    long Line,
    DecisionRequest Request,
    int AutonomyLevel,
    string Segment,
    RiskTier Risk,
    IReadOnlyList<GuardrailFinding> Findings,
    DateTimeOffset At,
    DecisionOutcome Expect,
    string? ExpectRule,
    bool ExpectNoRule,
    string? ExpectReason)
{
    /// <summary>The tested tool declares a compensating action (<c>agent: { compensable: true }</c>), which autonomy level 2 asks of writes that go alone.</summary>
    public bool Compensable { get; init; }

    /// <summary>The agent's tags (<c>agent: { tags: [clearance:secret] }</c>), which <c>when</c> expressions read with <c>agent.HasTag</c>.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
}

public sealed record PolicyTestResult(PolicyTestCase Case, bool Passed, DecisionOutcome Outcome, string? Rule, string Reason, string? Failure);

/// <summary>Reads the <c>tests</c> section of a policy document.</summary>
internal static class PolicyTestReader
{
    /// <summary>Tests without <c>at</c> run at this moment: a Wednesday, midday UTC.</summary>
    public static readonly DateTimeOffset DefaultAt = new(2026, 1, 7, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] CaseFields = ["name", "request", "agent", "expect", "rule", "reason"];
    private static readonly string[] RequestFields = ["tool", "operation", "resource", "amount", "records", "currency", "findings", "at", "preview"];
    private static readonly string[] AgentFields = ["autonomy_level", "segment", "risk", "compensable", "tags"];

    public static PolicyTestCase Read(YamlNode node)
    {
        var test = Mapping(node, "a test case");
        CheckFields(test, CaseFields, "a test case");
        var name = RequiredScalar(test, "name", node);
        var request = Mapping(Required(test, "request", node), "'request'");
        CheckFields(request, RequestFields, "'request'");
        var operationNode = Required(request, "operation", node);
        var operation = PolicyYamlNodes.Scalar(operationNode, "operation").Trim();
        if (!OperationNames.TryParse(operation, out var kind))
            throw Fail(PolicyYamlErrors.InvalidValueCode, operationNode.Start, $"unknown operation '{operation}'; expected {OperationNames.All}.");
        var findings = List(request, "findings", (n, text) => FindingPattern(text) && text.Contains('.', StringComparison.Ordinal)
            ? new GuardrailFinding(text, FindingSeverity.High, "$", 1.0)
            : throw Fail(PolicyYamlErrors.InvalidValueCode, n.Start, $"'{text}' is not a finding kind such as secret.jwt or pii.email."));
        var at = DefaultAt;
        if (Find(request, "at") is { } atNode)
        {
            var text = PolicyYamlNodes.Scalar(atNode, "at").Trim();
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at))
                throw Fail(PolicyYamlErrors.InvalidValueCode, atNode.Start, $"'at' must be a date and time such as \"2026-01-07T20:30:00Z\", not '{text}'.");
        }
        var recordsNode = Find(request, "records");
        var amountNode = Find(request, "amount");
        var impact = new RequestImpact(
            recordsNode is null ? 0 : Integer(recordsNode, "records"),
            amountNode is null ? 0m : Decimal(amountNode, "amount"),
            Find(request, "currency") is { } currency ? PolicyYamlNodes.Scalar(currency, "currency").Trim() : null,
            Declared: (recordsNode is null ? ImpactFigures.None : ImpactFigures.Records) | (amountNode is null ? ImpactFigures.None : ImpactFigures.Amount));
        var decisionRequest = new DecisionRequest(RequiredScalar(request, "tool", node), kind,
            Find(request, "resource") is { } resource ? PolicyYamlNodes.Scalar(resource, "resource").Trim() : "test/resource", impact)
        {
            Preview = Find(request, "preview") is { } previewNode && Flag(previewNode, "preview") ? PreviewPresence.Given : PreviewPresence.Absent,
        };

        var level = 0;
        var segment = "default";
        var risk = RiskTier.Low;
        var compensable = false;
        IReadOnlyList<string> tags = [];
        if (Find(test, "agent") is { } agentNode)
        {
            var agent = Mapping(agentNode, "'agent'");
            CheckFields(agent, AgentFields, "'agent'");
            tags = List(agent, "tags", (_, text) => text);
            if (Find(agent, "autonomy_level") is { } levelNode && (level = Integer(levelNode, "autonomy_level")) > 3)
                throw Fail(PolicyYamlErrors.InvalidValueCode, levelNode.Start, $"autonomy level {level} is not 0, 1, 2 or 3.");
            if (Find(agent, "segment") is { } segmentNode)
                segment = PolicyYamlNodes.Scalar(segmentNode, "segment").Trim();
            if (Find(agent, "risk") is { } riskNode)
                risk = ParseRisk(PolicyYamlNodes.Scalar(riskNode, "risk").Trim())
                    ?? throw Fail(PolicyYamlErrors.InvalidValueCode, riskNode.Start, "'risk' is low, medium, high or critical.");
            if (Find(agent, "compensable") is { } compensableNode)
                compensable = Flag(compensableNode, "compensable");
        }

        var expectNode = Required(test, "expect", node);
        var expect = PolicyYamlNodes.Scalar(expectNode, "expect").Trim() switch
        {
            "allow" => DecisionOutcome.Allow,
            "deny" => DecisionOutcome.Deny,
            "pending" or "require_approval" => DecisionOutcome.Pending,
            var other => throw Fail(PolicyYamlErrors.InvalidValueCode, expectNode.Start, $"'expect' is allow, deny or pending, not '{other}'."),
        };
        var rule = Find(test, "rule") is { } ruleNode ? PolicyYamlNodes.Scalar(ruleNode, "rule").Trim() : null;
        var reason = Find(test, "reason") is { } reasonNode ? PolicyYamlNodes.Scalar(reasonNode, "reason").Trim() : null;
        return new PolicyTestCase(name, node.Start.Line, decisionRequest, level, segment, risk, findings, at, expect,
                                  rule is "none" ? null : rule, rule == "none", string.IsNullOrEmpty(reason) ? null : reason) { Compensable = compensable, Tags = tags };
    }

    private static bool Flag(YamlNode node, string field) => PolicyYamlNodes.Scalar(node, field).Trim().ToLowerInvariant() switch
    {
        "true" or "yes" => true,
        "false" or "no" => false,
        var other => throw Fail(PolicyYamlErrors.InvalidValueCode, node.Start, $"'{field}' is true or false, not '{other}'."),
    };
}

/// <summary>
/// Runs a document's test cases through the real decision engine, with an agent that declares the
/// requested tool and operation, covers every resource and has no rate limit or caps, so what is
/// tested is the policy and the autonomy default.
/// </summary>
public static class PolicyTestRunner
{
    private static readonly ResourceScope Everything = ResourceScope.Create("**").Value;

    public static IReadOnlyList<PolicyTestResult> Run(Policy policy, IReadOnlyList<PolicyTestCase> tests)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(tests);
        return tests.Select(test => Run(policy, test)).ToList();
    }

    private static PolicyTestResult Run(Policy policy, PolicyTestCase test)
    {
        var agent = new AgentView(
            AgentId.Parse("agt_0000000000000000000000TEST"),
            new UserId("policy-test"),
            test.Segment,
            test.Tags,
            AgentStatus.Active,
            test.AutonomyLevel,
            [new ToolDeclaration(test.Request.Tool, [test.Request.Operation], test.Risk)],
            [Everything],
            int.MaxValue,
            new ImpactCaps());
        var decision = DecisionEngine.Decide(new DecisionContext(agent, ContainmentView.None, UsageView.None, test.Request, test.Findings, policy, test.At)
        {
            Compensation = test.Compensable ? ToolCompensation.Declared : ToolCompensation.None,
        });
        var reason = decision.PrimaryReason.Code;
        string? failure = null;
        if (decision.Outcome != test.Expect)
            failure = $"expected {Name(test.Expect)}, got {Name(decision.Outcome)} ({decision.PrimaryReason.Message})";
        else if (test.ExpectNoRule && decision.MatchedRuleId is { } matched)
            failure = $"expected no rule to decide, but rule '{matched}' did";
        else if (test.ExpectRule is { } rule && decision.MatchedRuleId != rule)
            failure = $"expected rule '{rule}' to decide, but {(decision.MatchedRuleId is null ? "no rule did" : $"rule '{decision.MatchedRuleId}' did")}";
        else if (test.ExpectReason is { } code && !decision.Reasons.Any(r => r.Code == code))
            failure = $"expected reason '{code}', got {string.Join(", ", decision.Reasons.Select(r => r.Code))}";
        return new PolicyTestResult(test, failure is null, decision.Outcome, decision.MatchedRuleId, reason, failure);
    }

    public static string Name(DecisionOutcome outcome) => outcome switch
    {
        DecisionOutcome.Allow => "allow",
        DecisionOutcome.Deny => "deny",
        _ => "pending",
    };
}
