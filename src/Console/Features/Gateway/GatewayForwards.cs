using Warden.Domain.Audit;
using Warden.Domain.Gateway;
using Warden.Features.AuditLog;

namespace Warden.Features.Gateway;

/// <summary>A call the gateway forwarded to an upstream, and how it came back.</summary>
public sealed record GatewayForward(
    string AgentId, string AgentName, string DecisionId, Upstream Upstream, ToolMapping Mapping, string Resource, bool Succeeded, string? Error, TimeSpan Took);

/// <summary>Puts every forwarded call in the audit log, beside the decision that allowed it, before the agent is answered.</summary>
public sealed class GatewayForwards(AuditWriter audit)
{
    public const string Kind = "gateway.call_forwarded";

    public Task RecordAsync(GatewayForward forward)
    {
        ArgumentNullException.ThrowIfNull(forward);
        var entry = AuditEntry.Of(AuditActor.Agent(forward.AgentId, forward.AgentName), Kind, forward.DecisionId, new
        {
            upstream = forward.Upstream.Name,
            upstreamId = forward.Upstream.Id,
            tool = forward.Mapping.ExposedName,
            upstreamTool = forward.Mapping.UpstreamTool,
            wardenTool = forward.Mapping.WardenTool,
            resource = forward.Resource,
            outcome = forward.Succeeded ? "succeeded" : "failed",
            error = forward.Error,
            milliseconds = (long)forward.Took.TotalMilliseconds,
        });
        return audit.CommitAsync(new AuditBatchItem(entry));
    }
}
