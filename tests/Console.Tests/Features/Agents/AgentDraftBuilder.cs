using Warden.Domain.Agents;
using Warden.Features.Agents;

namespace Warden.Tests.Features.Agents;

internal static class AgentDraftBuilder
{
    private static int _sequence;

    public static AgentDraft Valid(string? name = null) => new()
    {
        Name = name ?? $"Agent {Interlocked.Increment(ref _sequence)} {Guid.NewGuid():N}"[..40],
        Purpose = "Answers supplier questions about open invoices.",
        Segment = "finance",
        Tags = ["billing"],
        Tools = [new ToolDraft("erp.invoices", [OperationKind.Read], RiskTier.Low, null)],
        Scopes = ["erp/invoices/*"],
        RateLimitPerMinute = 60,
    };
}
