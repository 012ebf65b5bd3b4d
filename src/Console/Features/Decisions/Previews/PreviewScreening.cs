using System.Text.Json;
using Warden.Domain.Decisions;
using Warden.Domain.Guardrails;
using Warden.Domain.Previews;
using Warden.Features.Decisions.Stages;
using Warden.Features.Guardrails;

namespace Warden.Features.Decisions.Previews;

/// <summary>What screening a preview gave: its findings (located under <see cref="PreviewScreening.Root"/>) and the preview as stored, masked.</summary>
public sealed record ScreenedPreview(ActionPreview Preview, IReadOnlyList<Finding> Findings, string MaskedJson)
{
    public string Digest => Preview.Digest;
}

/// <summary>
/// A preview is screened by the guardrails like the rest of a request: inside a document of its own
/// (<c>{"$preview": …}</c>) so its findings are located apart from the parameters, then stored masked.
/// Screening that cannot finish gives null: the caller refuses.
/// </summary>
public sealed class PreviewScreening(GuardedScreening screening, Masking masking)
{
    public const string Root = "$preview";

    public async Task<ScreenedPreview?> ScreenAsync(string agentId, AgentView view, string tool, ActionPreview preview, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(preview);
        var wrapped = JsonSerializer.SerializeToElement(new Dictionary<string, JsonElement> { [Root] = PreviewShape.ToJson(preview) });
        var screened = await screening.ScreenAsync(agentId, view, tool, RequestScreening.RequestStage, wrapped, justification: null, cancellationToken);
        if (screened is null)
            return null;
        using var masked = JsonDocument.Parse(masking.Json(wrapped, screened.Findings));
        return new ScreenedPreview(preview, screened.Findings, masked.RootElement.GetProperty(Root).GetRawText());
    }
}
