using Warden.Domain.Agents;

namespace Warden.Tests.Domain.Agents;

public sealed class AgentWideningTests
{
    private static readonly AgentProfile Before = Agents.Profile();

    private static IReadOnlyList<Widening> To(AgentProfile after) => AgentWidening.Between(Before, after);

    private static ResourceScope Scope(string pattern) => ResourceScope.Create(pattern).Value;

    [Fact]
    public void Between_TheSameProfile_FindsNothing()
    {
        To(Agents.Profile()).ShouldBeEmpty();
    }

    [Fact]
    public void Between_ANewNameAndPurpose_FindsNothing()
    {
        To(Before with { Name = "Renamed clerk", Purpose = "Something else entirely." }).ShouldBeEmpty();
    }

    [Fact]
    public void Between_AnAddedTool_Widens()
    {
        var after = Before with { Tools = [.. Before.Tools, new ToolDeclaration("erp.payments", [OperationKind.Write], RiskTier.High)] };

        To(after).ShouldHaveSingleItem().Field.ShouldBe("tool erp.payments");
    }

    [Fact]
    public void Between_ARemovedTool_Narrows()
    {
        var wider = Before with { Tools = [.. Before.Tools, new ToolDeclaration("erp.payments", [OperationKind.Write], RiskTier.High)] };

        AgentWidening.Between(wider, Before).ShouldBeEmpty();
    }

    [Fact]
    public void Between_AnAddedOperation_Widens()
    {
        var after = Before with { Tools = [new ToolDeclaration("erp.invoices", [OperationKind.Read, OperationKind.Write, OperationKind.Delete], RiskTier.Medium)] };

        To(after).ShouldHaveSingleItem().Field.ShouldBe("tool erp.invoices operations");
    }

    [Fact]
    public void Between_ARemovedOperation_Narrows()
    {
        To(Before with { Tools = [new ToolDeclaration("erp.invoices", [OperationKind.Read], RiskTier.Medium)] }).ShouldBeEmpty();
    }

    [Fact]
    public void Between_ALowerRiskTier_Widens()
    {
        var after = Before with { Tools = [new ToolDeclaration("erp.invoices", [OperationKind.Read, OperationKind.Write], RiskTier.Low)] };

        To(after).ShouldHaveSingleItem().Field.ShouldBe("tool erp.invoices risk");
    }

    [Fact]
    public void Between_AHigherRiskTier_Narrows()
    {
        To(Before with { Tools = [new ToolDeclaration("erp.invoices", [OperationKind.Read, OperationKind.Write], RiskTier.High)] }).ShouldBeEmpty();
    }

    [Fact]
    public void Between_AChangedParameterSchema_Widens()
    {
        var after = Before with { Tools = [new ToolDeclaration("erp.invoices", [OperationKind.Read, OperationKind.Write], RiskTier.Medium, "{\"type\":\"object\"}")] };

        To(after).ShouldHaveSingleItem().Field.ShouldBe("tool erp.invoices parameter schema");
    }

    [Theory]
    [InlineData("**")]
    [InlineData("erp/**")]
    [InlineData("erp/*/*")]
    [InlineData("erp/invoices/*/lines")]
    [InlineData("erp/orders/*")]
    public void Between_AScopeNotCoveredByAnExistingOne_Widens(string pattern)
    {
        To(Before with { Scopes = [Scope(pattern)] }).ShouldHaveSingleItem().Field.ShouldBe("scope");
    }

    [Theory]
    [InlineData("erp/invoices/42")]
    [InlineData("erp/invoices/*")]
    public void Between_AScopeCoveredByAnExistingOne_Narrows(string pattern)
    {
        To(Before with { Scopes = [Scope(pattern)] }).ShouldBeEmpty();
    }

    [Fact]
    public void Between_AHigherRateLimit_Widens()
    {
        To(Before with { RateLimitPerMinute = 61 }).ShouldHaveSingleItem().Field.ShouldBe("rate limit");
    }

    [Fact]
    public void Between_ALowerRateLimit_Narrows()
    {
        To(Before with { RateLimitPerMinute = 59 }).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("records per action")]
    [InlineData("amount per action")]
    [InlineData("daily record budget")]
    [InlineData("daily amount budget")]
    public void Between_AHigherCapOrBudget_Widens(string field)
    {
        var caps = Before.Caps;
        var after = field switch
        {
            "records per action" => caps with { MaxRecordsPerAction = 11 },
            "amount per action" => caps with { MaxAmountPerAction = 500.01m },
            "daily record budget" => caps with { DailyRecordBudget = 1001 },
            _ => caps with { DailyAmountBudget = 10_001m },
        };

        To(Before with { Caps = after }).ShouldHaveSingleItem().Field.ShouldBe(field);
    }

    [Fact]
    public void Between_ARemovedCap_Widens()
    {
        To(Before with { Caps = Before.Caps with { MaxRecordsPerAction = null } }).ShouldHaveSingleItem().After.ShouldBe("no limit");
    }

    [Fact]
    public void Between_LowerCapsAndBudgets_Narrow()
    {
        var lower = new ImpactCaps(MaxRecordsPerAction: 1, MaxAmountPerAction: 1m, DailyRecordBudget: 1, DailyAmountBudget: 1m, Currency: "EUR");

        To(Before with { Caps = lower }).ShouldBeEmpty();
    }

    [Fact]
    public void Between_AnotherCurrency_Widens()
    {
        To(Before with { Caps = Before.Caps with { Currency = "JPY" } }).ShouldHaveSingleItem().Field.ShouldBe("currency");
    }

    [Fact]
    public void Between_AnotherSegment_Widens()
    {
        To(Before with { Segment = "sales" }).ShouldHaveSingleItem().Field.ShouldBe("segment");
    }

    [Fact]
    public void Between_OtherTags_Widens()
    {
        To(Before with { Tags = ["billing"] }).ShouldHaveSingleItem().Field.ShouldBe("tags");
    }

    [Fact]
    public void Between_AMixedChange_ListsOnlyTheWidenings()
    {
        var after = Before with { RateLimitPerMinute = 10, Scopes = [Scope("erp/**")] };

        To(after).ShouldHaveSingleItem().Field.ShouldBe("scope");
    }

    [Fact]
    public void TokenLifetime_Longer_Widens()
    {
        AgentWidening.TokenLifetime(5, 60).ShouldNotBeNull().Field.ShouldBe("token lifetime");
    }

    [Theory]
    [InlineData(5)]
    [InlineData(1)]
    public void TokenLifetime_SameOrShorter_Narrows(int minutes)
    {
        AgentWidening.TokenLifetime(5, minutes).ShouldBeNull();
    }
}
