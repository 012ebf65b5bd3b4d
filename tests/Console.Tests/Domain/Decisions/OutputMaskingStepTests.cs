using System.Text.Json;
using Warden.Domain.Decisions;
using Warden.Domain.Guardrails;
using Warden.Domain.Policies;
using static Warden.Tests.Domain.Decisions.ContextBuilder;

namespace Warden.Tests.Domain.Decisions;

/// <summary>Output review with mask rules: which rule wins, which findings are masked, and that nothing masked can leak or be skipped.</summary>
public sealed class OutputMaskingStepTests
{
    private const string Email = "olivia.hart@example.com";
    private const string Card = "4111 1111 1111 1111";
    private static readonly GuardrailMasker Masker = new(new byte[32], GuardrailScanner.Default);

    private static GuardrailFinding Found(string kind) => new(kind, FindingSeverity.Medium, "$.output", 0.95);

    private static PolicyRule Mask(string id, PolicyMatch match) => new(id, id, match, PolicyEffect.Mask);

    private static readonly PolicyRule MaskOutside = Mask("mask-outside", new PolicyMatch { Findings = ["pii"], Destinations = [PolicyMatch.OutsideScopes] });

    [Fact]
    public void ReviewOutput_MaskRuleForADestinationOutsideTheScopes_ReleasesMaskedNamingKindsAndCounts()
    {
        var context = (Default with { Findings = [Found("pii.email"), Found("pii.email"), Found("pii.card")] }).WithRules(MaskOutside).Build()
            with { Destination = OutputDestination.Undeclared };

        var decision = DecisionEngine.ReviewOutput(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Allow);
        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.OutputMasked);
        decision.PrimaryReason.Message.ShouldContain("pii.card ×1, pii.email ×2");
        decision.MaskRules.ShouldNotBeNull().ShouldHaveSingleItem().Id.ShouldBe("mask-outside");
    }

    [Fact]
    public void ReviewOutput_DestinationTheScopesCover_IsNotMasked()
    {
        var context = (Default with { Findings = [Found("pii.email")] }).WithRules(MaskOutside).Build()
            with { Destination = new OutputDestination("crm.example.com", InScope: true) };

        var decision = DecisionEngine.ReviewOutput(context);

        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.OutputReleased);
        decision.MaskRules.ShouldBeNull();
    }

    [Fact]
    public void Evaluate_MaskRuleOnARequest_DoesNothing()
    {
        var context = (Default with { Findings = [Found("pii.email")] })
            .WithRules(Mask("mask-emails", new PolicyMatch { Findings = ["pii.email"] })).Build();

        var decision = DecisionEngine.Decide(context);

        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.AllowedByAutonomy);
        decision.MaskRules.ShouldBeNull();
    }

    [Fact]
    public void ReviewOutput_DenyAndHoldOutweighMask_PerKindAndDestination()
    {
        var rules = new[]
        {
            MaskOutside,
            Rules.Deny("no-cards-to-reports", new PolicyMatch { Findings = ["pii.card"], Destinations = ["*.reports.example"] }),
            Rules.Approve("emails-to-reports-wait", new PolicyMatch { Findings = ["pii.email"], Destinations = ["*.reports.example"] }),
        };
        var reports = new OutputDestination("eu.reports.example", InScope: false);
        ContextBuilder With(params string[] kinds) => (Default with { Findings = [.. kinds.Select(Found)] }).WithRules(rules);

        var card = DecisionEngine.ReviewOutput(With("pii.card", "pii.email").Build() with { Destination = reports });
        var email = DecisionEngine.ReviewOutput(With("pii.email").Build() with { Destination = reports });
        var iban = DecisionEngine.ReviewOutput(With("pii.iban").Build() with { Destination = reports });
        var elsewhere = DecisionEngine.ReviewOutput(With("pii.card").Build() with { Destination = new OutputDestination("partner.example", InScope: false) });

        (card.Outcome, card.MatchedRuleId).ShouldBe((DecisionOutcome.Deny, "no-cards-to-reports"));
        (email.Outcome, email.MatchedRuleId).ShouldBe((DecisionOutcome.Pending, "emails-to-reports-wait"));
        (iban.Outcome, iban.PrimaryReason.Code).ShouldBe((DecisionOutcome.Allow, DecisionCodes.OutputMasked));
        (elsewhere.Outcome, elsewhere.PrimaryReason.Code).ShouldBe((DecisionOutcome.Allow, DecisionCodes.OutputMasked));
    }

    [Fact]
    public void Scrub_MasksOnlyWhatTheRulesCount_AndDigestsExactlyTheReleasedText()
    {
        var wrapped = Wrap($"Write to {Email}, card {Card}.");
        var findings = GuardrailScanner.Default.Scan(wrapped);
        var rules = new[] { Mask("mask-emails", new PolicyMatch { Findings = ["pii.email"] }) };

        var scrubbed = OutputScrubbing.Scrub(Masker, wrapped, OutputScrubbing.ToMask(findings, rules));

        scrubbed.Text.ShouldNotContain(Email);
        scrubbed.Text.ShouldContain(Card);
        scrubbed.Text.ShouldContain("[email:");
        scrubbed.Masked.ShouldBe([new MaskedKind("pii.email", 1)]);
        scrubbed.Digest.ShouldBe(OutputScrubbing.DigestOf(scrubbed.Text));
        scrubbed.Output.GetString().ShouldBe(scrubbed.Text);
    }

    [Fact]
    public void Scrub_AMaskedValueLeftInAnotherPlace_IsWithheld()
    {
        var wrapped = Wrap(new { content = $"Card {Card}", structured = new { card = Card.Replace(" ", "-", StringComparison.Ordinal) } });
        // As if the scan had placed only the copy in the text: the structured copy must not slip out.
        var inText = GuardrailScanner.Default.Scan(wrapped).Where(f => f.Location == "$.output.content").ToList();
        inText.ShouldNotBeEmpty();

        Should.Throw<OutputScrubException>(() => OutputScrubbing.Scrub(Masker, wrapped, OutputScrubbing.ToMask(inText, [MaskOutsideAnywhere()])));
    }

    [Fact]
    public void ToMask_ACountedFindingWithoutAPosition_CannotBeMaskedSoIsWithheld()
    {
        Finding[] findings = [new("pii.person", "$.output", 0.9, "a name") { Scanner = "external:names" }];

        Should.Throw<OutputScrubException>(() => OutputScrubbing.ToMask(findings, [MaskOutsideAnywhere()]));
    }

    private static PolicyRule MaskOutsideAnywhere() => Mask("mask-all", new PolicyMatch { Findings = ["pii"] });

    private static JsonElement Wrap(object output) => JsonSerializer.SerializeToElement(new { output });
}
