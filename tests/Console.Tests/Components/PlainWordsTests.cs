using Bunit;
using Warden.Components.Shared;
using Warden.Domain.Decisions;
using Warden.Features.Decisions;
using Warden.Tests.Support;

namespace Warden.Tests.Components;

public sealed class PlainWordsTests(WardenAppFactory app) : ComponentTestBase(app)
{
    [Theory]
    [InlineData("resource_out_of_scope", "Resource outside the agent's scopes")]
    [InlineData("allowed_by_autonomy", "Allowed at this autonomy level")]
    [InlineData("output_released", "Output may be released")]
    [InlineData("some_new_code", "Some new code")]
    public void Reason_ForACode_IsReadableWords(string code, string words) =>
        PlainWords.Reason(code).ShouldBe(words);

    [Fact]
    public void Reason_ForEveryDecisionCode_IsWrittenOutRatherThanDerivedFromTheCode()
    {
        var codes = typeof(DecisionCodes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();

        codes.ShouldNotBeEmpty();
        var derived = codes.Where(code => PlainWords.Reason(code) == char.ToUpperInvariant(code[0]) + code.Substring(1).Replace('_', ' ')).ToList();
        derived.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("breaker:violation-burst", "Circuit breaker “violation burst”")]
    [InlineData("automation:SOAR", "Automation client “SOAR”")]
    [InlineData("officer@warden.example", "officer@warden.example")]
    public void Actor_ForATripper_NamesWhatItIs(string name, string words) =>
        PlainWords.Actor(name).ShouldBe(words);

    [Fact]
    public void PolicyVersion_WithLabelAndNumber_ReadsAsASentence() =>
        PlainWords.PolicyVersion("default-2", 1).ShouldBe("Policy default-2, saved version 1");

    [Fact]
    public void RecentDecisionsTable_ShowsReasonWordsWithTheCodeOnHoverAndTheOutputReviewOnTheActionsRow()
    {
        var row = new RecentDecisionRow("dec_1", DateTimeOffset.UnixEpoch, "crm.read", "read", "crm/accounts/1", DecisionOutcome.Deny,
            DecisionState.Denied, DecisionCodes.ResourceOutOfScope, "Resource 'hr/1' is outside the agent's scopes.", "low", "default-2",
            OutputReview: DecisionOutcome.Allow);

        var table = Render<RecentDecisionsTable>(p => p.Add(t => t.Decisions, [row]));

        var reason = table.Find("[data-testid='decision-reason-dec_1']");
        reason.TextContent.Trim().ShouldBe("Resource outside the agent's scopes");
        reason.GetAttribute("title").ShouldBe("resource_out_of_scope");
        table.Find("[data-testid='decision-output-dec_1']").TextContent.Trim().ShouldBe("output released");
        table.FindAll("tbody tr").Count.ShouldBe(1);
    }
}
