namespace Warden.Domain.Previews;

/// <summary>Whether a request carries a preview of what it would change, as far as the decision can tell.</summary>
public enum PreviewPresence
{
    /// <summary>No preview: the agent sent none and none will be fetched.</summary>
    Absent,
    /// <summary>A preview is at hand (sent by the agent, or fetched from the tool).</summary>
    Given,
    /// <summary>The tool's preview endpoint is asked if the request is held, before anyone sees it.</summary>
    ToFetch,
    /// <summary>The tool's preview endpoint was asked and gave no usable preview (down, slow, garbage, a bad status).</summary>
    Unreadable,
}
