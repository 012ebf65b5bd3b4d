using Warden.Domain.Audit;
using Warden.Domain.Gateway;
using Warden.Features.AuditLog;

namespace Warden.Features.Gateway;

/// <summary>A call the gateway forwarded to an upstream, and how it came back.</summary>
public sealed record GatewayForward(
    string AgentId, string AgentName, string DecisionId, Upstream Upstream, ToolMapping Mapping, string Resource, bool Succeeded, string? Error, TimeSpan Took);

/// <summary>
/// The audit event of every forwarded call, beside the decision that allowed it. It commits with the
/// call's outcome and the review of its result, before the agent is answered.
/// </summary>
public static class GatewayForwards
{
    public const string Kind = "gateway.call_forwarded";

    /// <summary>The forward's audit event.</summary>
    public static AuditEntry Entry(GatewayForward forward)
    {
        ArgumentNullException.ThrowIfNull(forward);
        return AuditEntry.Of(AuditActor.Agent(forward.AgentId, forward.AgentName), Kind, forward.DecisionId, new
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
    }
}
