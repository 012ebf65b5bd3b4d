using Warden.Domain.Agents;
using static Warden.Tests.Domain.Agents.Agents;

namespace Warden.Tests.Domain.Agents;

public sealed class AgentProfileTests
{
    [Theory]
    [InlineData("", "agent.name_required")]
    [InlineData("   ", "agent.name_required")]
    public void Validate_WithBlankName_IsRefused(string name, string code)
    {
        var result = Profile(name).Normalized().Validate();

        result.Error.Code.ShouldBe(code);
    }

    [Fact]
    public void Validate_WithTenThousandCharacterName_IsRefused()
    {
        var result = Profile(new string('x', 10_000)).Normalized().Validate();

        result.Error.ShouldBe(AgentErrors.NameTooLong);
    }

    [Fact]
    public void Validate_WithoutTools_IsRefused()
    {
        var result = (Profile() with { Tools = [] }).Validate();

        result.Error.ShouldBe(AgentErrors.ToolsRequired);
    }

    [Fact]
    public void Validate_WithDuplicateToolNames_IsRefused()
    {
        var tool = new ToolDeclaration("crm.read", [OperationKind.Read], RiskTier.Low);

        var result = (Profile() with { Tools = [tool, tool with { Risk = RiskTier.High }] }).Validate();

        result.Error.Code.ShouldBe("agent.duplicate_tool");
    }

    [Theory]
    [InlineData("Has Spaces")]
    [InlineData("1starts-with-digit")]
    [InlineData("")]
    public void Validate_WithBadToolName_IsRefused(string name)
    {
        var result = (Profile() with { Tools = [new ToolDeclaration(name, [OperationKind.Read], RiskTier.Low)] }).Validate();

        result.Error.Code.ShouldBe("agent.invalid_tool_name");
    }

    [Fact]
    public void Validate_WithSchemaThatIsNotAJsonObject_IsRefused()
    {
        var tool = new ToolDeclaration("crm.read", [OperationKind.Read], RiskTier.Low, "[1, 2");

        var result = (Profile() with { Tools = [tool] }).Validate();

        result.Error.Code.ShouldBe("agent.invalid_tool_schema");
    }

    [Fact]
    public void Validate_WithNegativeCap_IsRefused()
    {
        var result = (Profile() with { Caps = new ImpactCaps(MaxRecordsPerAction: -1) }).Validate();

        result.Error.ShouldBe(AgentErrors.NegativeCap);
    }

    [Fact]
    public void Validate_WithAmountCapButNoCurrency_IsRefused()
    {
        var result = (Profile() with { Caps = new ImpactCaps(MaxAmountPerAction: 10m) }).Validate();

        result.Error.ShouldBe(AgentErrors.CurrencyRequired);
    }

    [Fact]
    public void Validate_WithPerActionCapAboveDailyBudget_IsRefused()
    {
        var result = (Profile() with { Caps = new ImpactCaps(MaxRecordsPerAction: 100, DailyRecordBudget: 10) }).Validate();

        result.Error.ShouldBe(AgentErrors.PerActionAboveDaily);
    }

    [Theory]
    [InlineData("Finance")]
    [InlineData("-finance")]
    [InlineData("fin ance")]
    public void Validate_WithBadSegment_IsRefused(string segment)
    {
        var result = (Profile() with { Segment = segment }).Validate();

        result.Error.Code.ShouldBe("agent.invalid_segment");
    }

    [Fact]
    public void Normalized_TrimsAndOrdersSoEqualProfilesCompareEqual()
    {
        var messy = Profile() with { Name = "  Invoice clerk ", Segment = "Finance", Tags = ["EU", "billing", "eu"] };

        var normalized = messy.Normalized();

        normalized.Name.ShouldBe("Invoice clerk");
        normalized.Segment.ShouldBe("finance");
        normalized.Tags.ShouldBe(["billing", "eu"]);
    }

    [Theory]
    [InlineData("""{ "type": "object", "properties": { "id": { "type": "string", "pattern": "^(a+)+$" } } }""")]
    [InlineData("""{ "type": "object", "patternProperties": { "^x": { "type": "string" } } }""")]
    [InlineData("""{ "type": "object", "properties": { "re": { "type": "string", "format": "regex" } } }""")]
    public void Validate_WithRegexInToolSchema_IsRefused(string schema)
    {
        var tool = new ToolDeclaration("crm.read", [OperationKind.Read], RiskTier.Low, schema);

        var result = (Profile() with { Tools = [tool] }).Validate();

        result.Error.Code.ShouldBe("agent.invalid_tool_schema");
        result.Error.Message.ShouldContain("pattern");
    }
}
