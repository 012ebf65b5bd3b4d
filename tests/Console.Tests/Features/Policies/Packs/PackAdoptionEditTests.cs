using Warden.Features.Policies;
using Warden.Features.Policies.Packs;

namespace Warden.Tests.Features.Policies.Packs;

/// <summary>The Adopt and Upgrade actions prepare a draft that adopts the pack and keeps the rest as written.</summary>
public sealed class PackAdoptionEditTests
{
    private static readonly PolicyPack Retail = PolicyPacks.Shipped.Latest.Single(p => p.Id == "retail");
    private static readonly PolicyPack Healthcare = PolicyPacks.Shipped.Latest.Single(p => p.Id == "healthcare");
    private const string Own = "version: v1\nrules:\n  - id: r\n    match: { tools: [a.b] }\n    effect: deny\n";

    [Fact]
    public void Adopt_DraftWithoutPacks_AddsTheListAndCompiles()
    {
        var draft = PackAdoptionEdit.Adopt(Own, Retail).Value;

        draft.ShouldStartWith(Own.TrimEnd());
        Adopted(draft).ShouldBe(["retail"]);
    }

    [Fact]
    public void Adopt_BlockListWithAnotherPack_KeepsItAndAddsThisOne()
    {
        var yaml = Own + "packs:\n  - { id: healthcare, version: 1 }\ntests:\n  - name: t\n    request: { tool: a.b, operation: read }\n    expect: deny\n";

        var draft = PackAdoptionEdit.Adopt(yaml, Retail).Value;

        Adopted(draft).ShouldBe(["healthcare", "retail"]);
        new PolicyYamlLoader().Compile(draft).Tests.ShouldHaveSingleItem().Name.ShouldBe("t");
    }

    [Fact]
    public void Adopt_PackAdoptedAtAnotherVersion_ChangesOnlyItsVersion()
    {
        var yaml = Own + "packs: [{ id: healthcare, version: 0 }, { id: retail, version: 1 }]\n";

        var draft = PackAdoptionEdit.Adopt(yaml, Healthcare).Value;

        PackAdoptionEdit.Adopted(draft).ShouldBe(new Dictionary<string, int> { ["healthcare"] = 1, ["retail"] = 1 });
        Adopted(draft).ShouldBe(["healthcare", "retail"]);
    }

    [Fact]
    public void Adopt_UnreadableDraft_IsRefusedWithAReadableMessage()
    {
        var result = PackAdoptionEdit.Adopt("version: [unclosed", Retail);

        result.Error.ShouldBe(PackAdoptionEdit.UnreadableDraft);
    }

    private static List<string> Adopted(string draft)
    {
        var document = new PolicyYamlLoader().Compile(draft);
        document.Problems.ShouldBeEmpty();
        return document.Packs.Select(p => p.Pack.Id).ToList();
    }
}
