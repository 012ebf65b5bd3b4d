using System.Text.Json;

namespace Warden.Features.Decisions.Previews;

/// <summary>What the decision path needs of a tool's hook: whether it declares a preview, and where Warden fetches it (when the tool supplies it).</summary>
public sealed record PreviewHookView(bool Declared, Uri? FetchFrom)
{
    public static readonly PreviewHookView None = new(false, null);
}

/// <summary>A tool's answer to a preview request: its JSON, or why there is none (down, slow, garbage, a bad status).</summary>
public sealed record ToolPreviewAnswer(JsonElement? Json, string? Failure);

/// <summary>
/// The tools' side of previews, as the decision path sees it: a port defined here and implemented by
/// the tool hooks feature (which sits above decisions), so decisions do not depend on it.
/// </summary>
public interface IToolPreviews
{
    ValueTask<PreviewHookView> FindAsync(string tool, CancellationToken cancellationToken);

    /// <summary>Asks the tool's preview endpoint (a signed webhook); never throws for the tool's fault.</summary>
    Task<ToolPreviewAnswer> AskAsync(Uri url, string deliveryId, byte[] body, CancellationToken cancellationToken);
}
