using Warden.Domain;
using Warden.Domain.Approvals;
using Warden.Domain.People;
using Warden.Features.Approvals;
using Warden.Features.Decisions;
using Warden.Features.Policies;
using Warden.Tests.Features.Approvals;
using Warden.Tests.Features.Policies;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Decisions;

/// <summary>Decisions explained, and approval rules that name who may decide, through the real services on real SQLite.</summary>
[Collection(AppCollection.Name)]
public sealed class DecisionExplanationTests
{
    private static Task<Result<DecisionExplanation>> ExplainAsync(WardenAppFactory app, string email, string decisionId) =>
        app.AsUserAsync<DecisionExplanationService, Result<DecisionExplanation>>(email, s => s.GetExplanationAsync(decisionId));

    private static async Task<(string DecisionId, string RequestId)> HoldUpdateAsync(WardenAppFactory app, TestAgent agent)
    {
        using var client = Client(app, agent.Token);
        using var response = await DecideAsync(client, Body("crm.update", "write", parameters: new { accountId = "42" }));
        var answer = await JsonOf(response);
        answer.GetProperty("outcome").GetString().ShouldBe("pending", answer.ToString());
        return (answer.GetProperty("id").GetString()!, answer.GetProperty("approval").GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task Explanation_OfARuleDecision_NamesTheDecidingRule_TheOutweighedOne_AndTheVersionThatMadeIt()
    {
        await using var app = WardenAppFactory.With();
        var agent = await RegisterAsync(app);
        var version = await PolicyCandidates.PublishAsync(app, PolicyCandidates.Appended("admin-review-1", PolicyCandidates.AdminOfficersReviewUpdates));
        var (decisionId, _) = await HoldUpdateAsync(app, agent);

        var explained = await ExplainAsync(app, DemoAccounts.Auditor, decisionId);

        explained.IsSuccess.ShouldBeTrue(explained.IsFailure ? explained.Error.ToString() : null);
        var e = explained.Value;
        e.Outcome.ShouldBe("pending");
        e.PolicyVersion.ShouldBe("admin-review-1");
        e.PolicyVersionId.ShouldBe(version);
        e.RiskTier.ShouldBe("medium");
        e.Rules.Select(r => (r.Id, r.Decided)).ShouldBe([("crm-updates-by-admin-officers", true), ("crm-updates-routine", false)]);
        e.Rules[0].Description.ShouldBe("Account updates wait for an officer who administers the CRM.");
        e.Rules[0].Effect.ShouldContain("security officers who are also administrators");
        e.Rules[1].Effect.ShouldBe("allow");
        e.WhoMayApprove.ShouldBe("security officers who are also administrators");
        e.Summary.ShouldStartWith("Rule 'crm-updates-by-admin-officers' of policy admin-review-1 held this for approval: Account updates wait");
        e.Summary.ShouldContain("'crm-updates-routine' (allow) matched too but was outweighed");
        e.Reasons[0].Code.ShouldBe("policy_requires_approval");
        e.Parameters.ShouldNotBeNull().ShouldContain("accountId");
    }

    [Fact]
    public async Task Explanation_OfAnAutonomyDefault_SaysNoRuleDecided()
    {
        await using var app = WardenAppFactory.With();
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        using var response = await DecideAsync(client, Body());
        var decisionId = (await JsonOf(response)).GetProperty("id").GetString()!;

        var explained = await ExplainAsync(app, DemoAccounts.Officer, decisionId);

        explained.Value.Outcome.ShouldBe("allow");
        explained.Value.Rules.ShouldBeEmpty();
        explained.Value.Summary.ShouldStartWith($"No rule of policy {DefaultPolicy.Version} decided this, so the agent's autonomy level did");
        explained.Value.PolicyVersionId.ShouldNotBeNull();
    }

    [Fact]
    public async Task Explanation_IsForOfficersAuditorsAndTheAgentsOwner_NotForAnotherOwner()
    {
        await using var app = WardenAppFactory.With();
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        using var response = await DecideAsync(client, Body());
        var decisionId = (await JsonOf(response)).GetProperty("id").GetString()!;

        var byOwner = await ExplainAsync(app, DemoAccounts.Owner, decisionId);
        var byOfficer = await ExplainAsync(app, DemoAccounts.Officer, decisionId);
        var byAuditor = await ExplainAsync(app, DemoAccounts.Auditor, decisionId);
        var byOtherOwner = await ExplainAsync(app, DemoAccounts.Owner2, decisionId);
        var unknown = await ExplainAsync(app, DemoAccounts.Officer, "dec_nothing");

        byOwner.IsSuccess.ShouldBeTrue();
        byOfficer.IsSuccess.ShouldBeTrue();
        byAuditor.IsSuccess.ShouldBeTrue();
        byOtherOwner.Error.Code.ShouldBe("decision.not_found");
        unknown.Error.Code.ShouldBe("decision.not_found");
    }

    [Fact]
    public async Task Vote_OnARequestWhoseRuleNamesAdministrators_IsRefusedToAPlainOfficer_AndCountsForAnAdministratorOfficer()
    {
        await using var app = WardenAppFactory.With();
        var agent = await RegisterAsync(app);
        await PolicyCandidates.PublishAsync(app, PolicyCandidates.Appended("admin-review-2", PolicyCandidates.AdminOfficersReviewUpdates));
        var (_, requestId) = await HoldUpdateAsync(app, agent);
        var adminOfficer = await ApprovalScenario.NewPersonAsync(app, "ada", Roles.SecurityOfficer, Roles.Administrator);

        var card = await app.AsUserAsync<ApprovalService, Result<ApprovalCard>>(DemoAccounts.Officer, s => s.GetAsync(requestId));
        var plain = await app.AsUserAsync<ApprovalService, Result<VoteResult>>(DemoAccounts.Officer, s => s.VoteAsync(requestId, Verdict.Approve, "fine"));
        var admin = await app.AsUserAsync<ApprovalService, Result<VoteResult>>(adminOfficer, s => s.VoteAsync(requestId, Verdict.Approve, "change window agreed"));

        card.Value.WhoMayApprove.ShouldBe("security officers who are also administrators");
        card.Value.CanVote.ShouldBeFalse();
        card.Value.CannotVoteBecause.ShouldBe("Only security officers who are also administrators decide this request, and you are not one of them.");
        plain.Error.Code.ShouldBe("approval.not_eligible");
        admin.IsSuccess.ShouldBeTrue(admin.IsFailure ? admin.Error.ToString() : null);
        admin.Value.State.ShouldBe(ApprovalState.Approved);
    }

    [Fact]
    public async Task Vote_OnARequestOfTheAutonomyDefault_StaysWithSecurityOfficers()
    {
        await using var app = WardenAppFactory.With();
        var held = await ApprovalScenario.HoldAsync(app);

        var card = await app.AsUserAsync<ApprovalService, Result<ApprovalCard>>(DemoAccounts.Officer, s => s.GetAsync(held.RequestId));
        var vote = await app.AsUserAsync<ApprovalService, Result<VoteResult>>(DemoAccounts.Officer, s => s.VoteAsync(held.RequestId, Verdict.Approve, "fine"));

        card.Value.WhoMayApprove.ShouldBe("security officers");
        vote.IsSuccess.ShouldBeTrue(vote.IsFailure ? vote.Error.ToString() : null);
    }
}
