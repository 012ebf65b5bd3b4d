using Warden.Domain;
using Warden.Domain.Rollback;
using Warden.Domain.Tools;
using Warden.Features.Rollback;
using Warden.Features.Tools;
using Warden.Tests.Features.Gateway;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Rollback;

/// <summary>
/// A compensating action that is an upstream tool of the MCP gateway (the reference MCP server, a real
/// node process): it is called with the original call's recorded arguments, and its error is a failed rollback.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RollbackGatewayTests(GatewayApp app) : IClassFixture<GatewayApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RollBack_ThroughTheGateway_CallsTheMappedUpstreamToolWithTheRecordedArguments()
    {
        var decision = await ActionAsync("ledger.gw_echo", "echo", """{"message":"undo entry 42"}""");

        var result = await app.AsUserAsync<RollbackService, Result<RollbackRow>>(DemoAccounts.Officer, s => s.RollBackAsync(decision));

        result.IsSuccess.ShouldBeTrue(result.Error.ToString());
        result.Value.Route.ShouldBe(RollbackRoute.Gateway);
        result.Value.State.ShouldBe(RollbackState.Succeeded);
        result.Value.AnswerExcerpt!.ShouldContain("undo entry 42");
    }

    [Fact]
    public async Task RollBack_ThroughTheGateway_WhenTheUpstreamToolRefusesTheArguments_IsFailed()
    {
        var decision = await ActionAsync("ledger.gw_sum", "sum", """{"message":"not numbers"}""");

        var result = await app.AsUserAsync<RollbackService, Result<RollbackRow>>(DemoAccounts.Officer, s => s.RollBackAsync(decision));

        result.IsSuccess.ShouldBeTrue(result.Error.ToString());
        result.Value.State.ShouldBe(RollbackState.Failed);
        result.Value.AnswerDetail.ShouldNotBeNullOrWhiteSpace();
    }

    private async Task<string> ActionAsync(string tool, string compensatingTool, string parameters)
    {
        var saved = await app.AsUserAsync<ToolHookService, Result>(DemoAccounts.Officer,
            s => s.SaveAsync(new ToolHookForm(tool, PreviewSource.None, null, null, compensatingTool), Cancel));
        saved.IsSuccess.ShouldBeTrue(saved.Error.ToString());
        var agent = await ActionsThatRan.RegisterAgentAsync(app);
        return await ActionsThatRan.RecordAsync(app, agent, tool, "succeeded", DateTimeOffset.UtcNow.AddMinutes(-1), parameters);
    }
}
