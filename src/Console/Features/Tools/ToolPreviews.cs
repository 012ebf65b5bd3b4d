using Warden.Domain.Tools;
using Warden.Features.Decisions.Previews;

namespace Warden.Features.Tools;

/// <summary>The decision path's view of tool hooks for previews: what a tool declares, and its signed preview webhook.</summary>
public sealed class ToolPreviews(ToolHooks hooks, ToolWebhooks webhooks) : IToolPreviews
{
    public const string EventType = "preview.requested";

    public async ValueTask<PreviewHookView> FindAsync(string tool, CancellationToken cancellationToken)
    {
        var hook = await hooks.FindAsync(tool, cancellationToken);
        if (hook is null || !hook.DeclaresPreview)
            return PreviewHookView.None;
        return new PreviewHookView(true, hook.Preview == PreviewSource.Webhook ? hook.PreviewUrl : null);
    }

    public async Task<ToolPreviewAnswer> AskAsync(Uri url, string deliveryId, byte[] body, CancellationToken cancellationToken)
    {
        var answer = await webhooks.PostAsync(url, EventType, deliveryId, body, cancellationToken);
        return answer.IsOk ? new ToolPreviewAnswer(answer.Json, null) : new ToolPreviewAnswer(null, answer.Detail);
    }
}
