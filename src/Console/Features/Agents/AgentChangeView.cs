using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Warden.Features.Agents;

/// <summary>
/// Presents a recorded change: which fields differ, and the snapshots indented for reading. The relaxed
/// encoder only affects display; the markup is still HTML-encoded by the renderer.
/// </summary>
public static class AgentChangeView
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IReadOnlyList<string> ChangedFields(AgentChangeRow change)
    {
        if (Parse(change.Before) is not JsonObject before || Parse(change.After) is not JsonObject after)
            return [];
        return before.Select(p => p.Key).Union(after.Select(p => p.Key))
            .Where(key => !JsonNode.DeepEquals(before[key], after[key]))
            .ToList();
    }

    public static string Pretty(string? json) => Parse(json) is { } node ? node.ToJsonString(Indented) : json ?? string.Empty;

    private static JsonNode? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return null;
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
