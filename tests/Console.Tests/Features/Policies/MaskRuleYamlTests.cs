using Warden.Domain.Policies;
using Warden.Features.Policies;

namespace Warden.Tests.Features.Policies;

/// <summary>The policy document's <c>mask</c> effect and <c>destinations</c> match, as officers write them.</summary>
public sealed class MaskRuleYamlTests
{
    private readonly PolicyYamlLoader _loader = new();

    private static string Document(string rule) => $"""
        version: "masks-1"
        rules:
        {rule}
        """;

    [Fact]
    public void Load_MaskRuleWithFindingsAndDestinations_ReadsBoth()
    {
        var result = _loader.Load(Document("""
              - id: mask-cards
                match: { findings: [pii.card], destinations: [outside_scopes, "*.Partner.example", mail.example.com] }
                effect: mask
            """));

        result.IsSuccess.ShouldBeTrue(result.IsFailure ? result.Error.Message : null);
        var rule = result.Value.Rules.ShouldHaveSingleItem();
        rule.Effect.Kind.ShouldBe(PolicyEffectKind.Mask);
        rule.Match.Destinations.ShouldBe(["outside_scopes", "*.partner.example", "mail.example.com"]);
    }

    [Theory]
    [InlineData("match: { tools: [crm.read] }\n    effect: mask", "names the findings it masks")]
    [InlineData("match: { findings: [pii] }\n    effect: mask\n    message: no", "only applies to rules whose effect is deny or require_approval")]
    [InlineData("match: { findings: [pii], destinations: [\"not a host\"] }\n    effect: deny", "neither outside_scopes nor a host")]
    [InlineData("match: { findings: [pii] }\n    effect: scrub", "expected allow, deny, require_approval or mask")]
    public void Load_MaskRuleWrittenWrongly_IsRefusedSayingWhy(string body, string why)
    {
        var result = _loader.Load(Document($"  - id: bad\n    {body}"));

        result.IsFailure.ShouldBeTrue();
        result.Error.Message.ShouldContain(why);
    }

    [Fact]
    public void DefaultPolicy_MasksPersonalDataLeavingTheScopes()
    {
        var policy = _loader.Load(DefaultPolicy.Yaml).Value;

        var rule = policy.Rules.Single(r => r.Effect.Kind == PolicyEffectKind.Mask);
        rule.Match.Findings.ShouldBe(["pii"]);
        rule.Match.Destinations.ShouldBe([PolicyMatch.OutsideScopes]);
    }
}
