using System.Net.Http.Json;
using Warden.Domain;
using Warden.Domain.Decisions;
using Warden.Features.Decisions;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Decisions;

[Collection(AppCollection.Name)]
public sealed class AgentActivityServiceTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    [Fact]
    public async Task GetActivity_AfterTwoReadsAndOneOutOfScopeRequest_ShowsTheOwnerThreeDecisionsAndTodaysCounts()
    {
        var agent = await AgentWithThreeDecisionsAsync();

        var activity = await ActivityAsync(DemoAccounts.Owner, agent);

        activity.IsSuccess.ShouldBeTrue(activity.Error.ToString());
        var recent = activity.Value.RecentDecisions;
        recent.Count.ShouldBe(3);
        recent.Select(d => d.Outcome).ShouldBe([DecisionOutcome.Deny, DecisionOutcome.Allow, DecisionOutcome.Allow]);
        recent[0].ReasonCode.ShouldBe("resource_out_of_scope");
        recent[0].Resource.ShouldBe("hr/salaries/1");
        recent[1].State.ShouldBe(DecisionState.Allowed);
        var today = activity.Value.Today;
        (today.Allowed, today.Denied, today.Pending).ShouldBe((2, 1, 0));
        today.RecordsUsed.ShouldBe(2);
        today.RequestsThisMinute.ShouldBeInRange(1, 3);
        today.RateLimitPerMinute.ShouldBe(100);
        today.AmountBudget.ShouldBe(20000m);
        activity.Value.LastSeenAt.ShouldBe(recent[0].DecidedAt);
    }

    [Fact]
    public async Task GetActivity_ByAnotherOwner_IsNotFound()
    {
        var agent = await AgentWithThreeDecisionsAsync();

        var activity = await ActivityAsync(DemoAccounts.Owner2, agent);

        activity.Error.Code.ShouldBe("agent.not_found");
    }

    [Fact]
    public async Task GetActivity_ByTheAuditor_ShowsTheDecisions()
    {
        var agent = await AgentWithThreeDecisionsAsync();

        var activity = await ActivityAsync(DemoAccounts.Auditor, agent);

        activity.IsSuccess.ShouldBeTrue(activity.Error.ToString());
        activity.Value.RecentDecisions.Count.ShouldBe(3);
        activity.Value.Today.Denied.ShouldBe(1);
    }

    [Fact]
    public async Task GetActivity_OfAnAgentThatNeverAsked_HasNoDecisionsAndNoLastSeen()
    {
        var agent = await RegisterAsync(app);

        var activity = await ActivityAsync(DemoAccounts.Owner, agent);

        activity.Value.RecentDecisions.ShouldBeEmpty();
        activity.Value.LastSeenAt.ShouldBeNull();
        (activity.Value.Today.Allowed, activity.Value.Today.RecordsUsed).ShouldBe((0, 0L));
    }

    [Fact]
    public async Task GetActivity_AfterAnActionAndTheReviewOfItsOutput_ShowsTheActionOnceWithItsOutputReleased()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        using var decided = await DecideAsync(client, Body(resource: "crm/accounts/7"));
        var action = (await JsonOf(decided)).GetProperty("id").GetString()!;
        using var reviewed = await client.PostAsJsonAsync($"/api/v1/decisions/{action}/output", new { output = "Account 7 is active." }, AgentApiClient.Json, TestContext.Current.CancellationToken);
        reviewed.IsSuccessStatusCode.ShouldBeTrue(await reviewed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var activity = await ActivityAsync(DemoAccounts.Owner, agent);

        var row = activity.Value.RecentDecisions.ShouldHaveSingleItem();
        row.Id.ShouldBe(action);
        row.OutputReview.ShouldBe(DecisionOutcome.Allow);
    }

    private Task<Result<AgentActivity>> ActivityAsync(string email, TestAgent agent) =>
        app.AsUserAsync<AgentActivityService, Result<AgentActivity>>(email, s => s.GetActivityAsync(agent.Id));

    private async Task<TestAgent> AgentWithThreeDecisionsAsync()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        foreach (var body in new[] { Body(resource: "crm/accounts/1"), Body(resource: "crm/accounts/2"), Body(resource: "hr/salaries/1") })
        {
            using var response = await DecideAsync(client, body);
            response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
            // Distinct timestamps keep the newest-first order unambiguous.
            await Task.Delay(5);
        }
        return agent;
    }
}
