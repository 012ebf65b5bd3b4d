namespace Warden.Features.Decisions.Previews;

/// <summary>What the decision path needs of a tool's hook: whether it declares a preview, and where Warden fetches it (when the tool supplies it).</summary>
public sealed record PreviewHookView(bool Declared, Uri? FetchFrom)
{
    public static readonly PreviewHookView None = new(false, null);
}

/// <summary>Reads a tool's hook for the preview stages.</summary>
public sealed class PreviewHookLookup
{
    public ValueTask<PreviewHookView> FindAsync(string tool, CancellationToken cancellationToken) => ValueTask.FromResult(PreviewHookView.None);
}
