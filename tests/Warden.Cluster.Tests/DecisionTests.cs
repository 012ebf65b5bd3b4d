using Warden.Cluster.Tests.Support;

namespace Warden.Cluster.Tests;

/// <summary>One instance on PostgreSQL serves the agent API end to end: token, decision, outcome.</summary>
[Collection(OneInstanceCollection.Name)]
public sealed class DecisionTests(OneInstance one)
{
    [Fact]
    public async Task Decision_OnPostgreSql_IsAllowedWithAGrantAndItsOutcomeIsRecordedOnce()
    {
        var agent = await AgentClient.SignInAsync(one.Instance);

        var decision = await agent.DecideOkAsync(AgentClient.ReadTicket(1042));
        var id = decision.GetProperty("id").GetString()!;
        var grant = decision.GetProperty("grant").GetProperty("token").GetString()!;
        using var first = await agent.ReportOutcomeAsync(id, grant);
        using var second = await agent.ReportOutcomeAsync(id, grant);

        decision.GetProperty("outcome").GetString().ShouldBe("allow");
        await first.ShouldBeJsonAsync(200, one.Instance);
        await second.ShouldBeProblemAsync(409, "grant-used", one.Instance);
        var recorded = await one.Cluster.ScalarAsync<string>($"SELECT \"State\" FROM \"Decisions\" WHERE \"Id\" = '{id}'");
        recorded.ShouldBe("Completed");
    }
}
