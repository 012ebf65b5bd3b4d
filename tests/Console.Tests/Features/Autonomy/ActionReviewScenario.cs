using System.Text.Json;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Features.Agents;
using Warden.Domain.Tools;
using Warden.Features.Autonomy;
using Warden.Features.Tools;
using Warden.Tests.Features.Decisions;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Autonomy;

/// <summary>
/// An agent of the demo owner promoted to a level, with a low-risk write tool (tickets.update) and two
/// medium ones (crm.update, and orders.refund, which the level-2 tests give a compensating action).
/// </summary>
internal static class ActionReviewScenario
{
    public static AgentDraft Draft() => AgentApiClient.Draft() with
    {
        Tools =
        [
            new ToolDraft("crm.read", [OperationKind.Read], RiskTier.Low, null),
            new ToolDraft("tickets.update", [OperationKind.Write], RiskTier.Low, null),
            new ToolDraft("crm.update", [OperationKind.Write], RiskTier.Medium, null),
            new ToolDraft("orders.refund", [OperationKind.Write], RiskTier.Medium, null),
        ],
    };

    public static async Task<TestAgent> AgentAtLevelAsync(WardenAppFactory app, int level)
    {
        var agent = await RegisterAsync(app, Draft());
        await Warden.Tests.Features.RedTeam.PassedDrills.RecordAsync(app, agent.Id);
        for (var to = 1; to <= level; to++)
        {
            var requested = await app.AsUserAsync<AutonomyService, Result<string>>(DemoAccounts.Owner, s => s.RequestPromotionAsync(agent.Id, "pilot"));
            requested.IsSuccess.ShouldBeTrue(requested.Error.ToString());
            var decided = await app.AsUserAsync<AutonomyService, Result>(DemoAccounts.Officer, s => s.DecideAsync(requested.Value, true, "pilot"));
            decided.IsSuccess.ShouldBeTrue(decided.Error.ToString());
        }
        return agent;
    }

    /// <summary>An officer declares that <paramref name="tool"/>'s actions are undone through a compensating webhook.</summary>
    public static async Task DeclareCompensationAsync(WardenAppFactory app, string tool)
    {
        var saved = await app.AsUserAsync<ToolHookService, Result>(DemoAccounts.Officer,
            s => s.SaveAsync(new ToolHookForm(tool, PreviewSource.None, null, $"https://{tool}.example.com/undo", null)));
        saved.IsSuccess.ShouldBeTrue(saved.Error.ToString());
    }

    /// <summary>The agent asks to write with <paramref name="tool"/>; returns the answer.</summary>
    public static async Task<JsonElement> WriteAsync(WardenAppFactory app, TestAgent agent, string tool = "tickets.update")
    {
        using var client = Client(app, agent.Token);
        using var response = await DecideAsync(client, Body(tool, "write"));
        return await JsonOf(response);
    }
}
