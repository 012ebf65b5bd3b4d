using Warden.Domain.Audit;
using Warden.Domain.Tools;
using Warden.Features.AuditLog;

namespace Warden.Features.Demo;

/// <summary>The audit event of a tool hook the demo declares, shaped as an officer's declaration of it is, with the demo named.</summary>
internal static class DemoHooks
{
    public static AuditEntry Saved(ToolHook hook) => AuditEntry.Of(AuditActor.System, "tool.hook_saved", "tool:" + hook.Tool, new
    {
        tool = hook.Tool,
        preview = hook.Preview.ToString().ToLowerInvariant(),
        previewUrl = hook.PreviewUrl?.ToString(),
        compensationUrl = hook.CompensationUrl?.ToString(),
        compensationGatewayTool = hook.CompensationGatewayTool,
        demo = true,
    });
}
