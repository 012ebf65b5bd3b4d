using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Domain.Policies;
using Warden.Features.Policies;
using Warden.Features.Policies.Packs;
using Warden.Tests.Domain.Decisions;

namespace Warden.Tests.Features.Policies.Packs;

/// <summary>
/// Organisation, pack and agent layers (rules naming <c>agents</c>) compile into one policy; whichever
/// layer says it, the strictest effect wins: deny over require_approval over allow, the most approvers
/// among approvals, every mask on outputs.
/// </summary>
public sealed class PackLayeringTests
{
    private const string AgentA = "agt_0000000000000000000000000A";

    private const string Pack = """
        pack: layers
        version: 1
        title: Layers
        summary: One rule of each effect, for layering.
        rules:
          - id: payments-need-two
            description: Payments need two approvers.
            rationale: Dual control.
            match: { tools: [payments.send] }
            effect: require_approval
            approvers: 2
          - id: notes-need-one
            description: Notes need an approver.
            rationale: Test.
            match: { tools: [crm.notes] }
            effect: require_approval
          - id: no-invoice-deletes
            description: Invoices are never deleted.
            rationale: Retention.
            match: { tools: [erp.invoices], operations: [delete] }
            effect: deny
            message: The pack refuses invoice deletion.
          - id: mask-emails
            description: E-mail addresses are masked in outputs.
            rationale: Privacy.
            match: { findings: [pii.email] }
            effect: mask
        tests:
          - name: payments wait for two
            request: { tool: payments.send, operation: execute, amount: 10, currency: EUR }
            agent: { autonomy_level: 3 }
            expect: pending
            rule: payments-need-two
        """;

    private static readonly PolicyYamlLoader Loader = new(new PolicyPacks([PolicyYamlLoader.CompilePack(Pack).Pack!]));

    private static readonly ContextBuilder Level3 = ContextBuilder.Default.WithAgent(a => a with { AutonomyLevel = 3 });

    [Fact]
    public void OrganisationAllow_AgainstPackApproval_WaitsForThePacksTwoApprovers()
    {
        var decision = Decide("""
              - id: org-allows-payments
                match: { tools: [payments.send] }
                effect: allow
            """, Level3.WithRequest("payments.send", OperationKind.Execute, "payments/p1", amount: 10m));

        decision.Outcome.ShouldBe(DecisionOutcome.Pending);
        decision.RequiredApprovals.ShouldBe(2);
        decision.MatchedRuleId.ShouldBe("layers/payments-need-two");
    }

    [Fact]
    public void OrganisationDeny_AgainstPackApproval_IsDeniedWithTheOrganisationsMessage()
    {
        var decision = Decide("""
              - id: org-no-payments
                match: { tools: [payments.send] }
                effect: deny
                message: The organisation makes no payments through agents.
            """, Level3.WithRequest("payments.send", OperationKind.Execute, "payments/p1", amount: 10m));

        decision.Outcome.ShouldBe(DecisionOutcome.Deny);
        decision.MatchedRuleId.ShouldBe("org-no-payments");
        decision.PrimaryReason.Message.ShouldContain("The organisation makes no payments through agents.");
    }

    [Fact]
    public void OrganisationTwoApprovers_AgainstPackOne_KeepsTwo()
    {
        var decision = Decide("""
              - id: org-notes-need-two
                match: { tools: [crm.notes] }
                effect: require_approval
                approvers: 2
            """, Level3.WithRequest("crm.notes", OperationKind.Write, "crm/accounts/1", records: 1));

        decision.RequiredApprovals.ShouldBe(2);
        decision.MatchedRuleId.ShouldBe("org-notes-need-two");
    }

    [Fact]
    public void AgentLayerAllow_AgainstPackDeny_IsDenied()
    {
        var decision = Decide($$"""
              - id: agent-a-deletes-invoices
                match: { agents: [{{AgentA}}], tools: [erp.invoices] }
                effect: allow
            """, Level3.WithRequest("erp.invoices", OperationKind.Delete, "erp/invoices/1", records: 1));

        decision.Outcome.ShouldBe(DecisionOutcome.Deny);
        decision.MatchedRuleId.ShouldBe("layers/no-invoice-deletes");
    }

    [Fact]
    public void AgentLayerDeny_AgainstPackApproval_DeniesThatAgentOnly()
    {
        var own = $$"""
              - id: agent-a-no-payments
                match: { agents: [{{AgentA}}], tools: [payments.send] }
                effect: deny
                message: This agent makes no payments.
            """;
        var request = Level3.WithRequest("payments.send", OperationKind.Execute, "payments/p1", amount: 10m);

        var forA = Decide(own, request);
        var forB = Decide(own, request.WithAgent(a => a with { Id = AgentId.Parse("agt_0000000000000000000000000B") }));

        forA.Outcome.ShouldBe(DecisionOutcome.Deny);
        forA.MatchedRuleId.ShouldBe("agent-a-no-payments");
        forB.Outcome.ShouldBe(DecisionOutcome.Pending);
        forB.MatchedRuleId.ShouldBe("layers/payments-need-two");
    }

    [Fact]
    public void MasksOfBothLayers_OnOneOutput_AllApply()
    {
        var policy = Compile("""
              - id: org-mask-cards
                match: { findings: [pii.card] }
                effect: mask
            """);
        var context = Level3.WithRequest("crm.read", OperationKind.Read, "crm/accounts/1").Build() with
        {
            Policy = policy,
            Findings = [new GuardrailFinding("pii.card", FindingSeverity.Medium, "$.output", 1.0), new GuardrailFinding("pii.email", FindingSeverity.Medium, "$.output", 1.0)],
            Destination = new OutputDestination("mail.example.com", InScope: false),
        };

        var verdict = policy.EvaluateContent(context, RiskTier.Low);

        verdict.Masks!.Select(r => r.Id).ShouldBe(["org-mask-cards", "layers/mask-emails"]);
    }

    [Fact]
    public void AgentsMatch_NotAnAgentId_IsAProblem()
    {
        var document = Loader.Compile("version: v1\nrules:\n  - id: r\n    match: { agents: [support-bot] }\n    effect: deny\n");

        document.Problems.ShouldHaveSingleItem().Message.ShouldStartWith("'support-bot' is not an agent id");
    }

    private static Decision Decide(string ownRules, ContextBuilder builder) =>
        DecisionEngine.Decide((builder with { Policy = Compile(ownRules) }).Build());

    private static Policy Compile(string ownRules)
    {
        var document = Loader.Compile("version: org-1\nrules:\n" + ownRules + "\npacks:\n  - { id: layers, version: 1 }\n");
        document.Problems.ShouldBeEmpty();
        return document.Policy!;
    }
}
