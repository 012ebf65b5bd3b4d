using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Decisions;
using Warden.Features.Agents;
using Warden.Features.Decisions;
using Warden.Tests.Features.Agents;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Rollback;

/// <summary>Agents and their actions that ran, recorded as the decision path records them (decision and audit event in one commit).</summary>
internal static class ActionsThatRan
{
    public static async Task<string> RegisterAgentAsync(WardenAppFactory app)
    {
        var registered = await app.AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner, s => s.RegisterAsync(AgentDraftBuilder.Valid()));
        registered.IsSuccess.ShouldBeTrue(registered.Error.ToString());
        return registered.Value;
    }

    /// <summary>An allowed write of <paramref name="tool"/> whose outcome the agent reported as <paramref name="outcome"/>.</summary>
    public static async Task<string> RecordAsync(WardenAppFactory app, string agentId, string tool, string outcome, DateTimeOffset decidedAt,
        string parameters = """{"entry":"42","amount":120}""")
    {
        var id = "dec_" + Guid.NewGuid().ToString("N")[..26];
        var record = new DecisionRecord
        {
            Id = id,
            AgentId = agentId,
            DecidedAt = decidedAt,
            Tool = tool,
            Operation = "write",
            Resource = "ledger/entries/42",
            Parameters = parameters,
            Records = 1,
            Outcome = DecisionOutcome.Allow,
            State = DecisionState.Completed,
            PolicyVersion = "test",
            RequestDigest = new string('a', 64),
            GrantUsedAt = decidedAt.AddSeconds(1),
            OutcomeStatus = outcome,
            OutcomeRecords = 1,
            OutcomeAt = decidedAt.AddSeconds(1),
            OutcomeDetail = "entry 42 booked",
        };
        await app.Services.GetRequiredService<DecisionJournal>().RecordAsync(record, TestContext.Current.CancellationToken);
        return id;
    }
}
