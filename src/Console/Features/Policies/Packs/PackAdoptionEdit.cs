using System.Globalization;
using Warden.Domain;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Warden.Features.Policies.Packs;

/// <summary>
/// Prepares the edit that adopts a pack (or moves it to another version) in a policy draft: the
/// <c>packs</c> list gains or changes one entry and the rest of the text is left as written. The
/// result is a draft like any other, saved, replayed and published through the normal flow.
/// </summary>
public static class PackAdoptionEdit
{
    public static readonly Error UnreadableDraft = new("policy.pack_draft_unreadable", "The draft is not a readable policy document; fix it in the editor before adopting a pack.");

    /// <summary>The versions of each pack the draft adopts (empty when it adopts none or cannot be read).</summary>
    public static IReadOnlyDictionary<string, int> Adopted(string? draft)
    {
        var entries = Read(draft, out _);
        return entries is null ? new Dictionary<string, int>() : entries.GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.First().Version, StringComparer.Ordinal);
    }

    public static Result<string> Adopt(string? draft, PolicyPack pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        var entries = Read(draft, out var node);
        if (entries is null || draft is null)
            return UnreadableDraft;
        if (node is null)
            return draft.TrimEnd() + $"\npacks:\n  - {Entry(pack.Id, pack.Version)}\n";
        var list = entries.Select(e => e.Id == pack.Id ? (e.Id, pack.Version) : e).ToList();
        if (!list.Exists(e => e.Id == pack.Id))
            list.Add((pack.Id, pack.Version));
        // The 'packs' key and every line of its value (indented, a root-level '- ' item, or blank) become one line.
        var lines = draft.Split('\n');
        var first = (int)node.Start.Line - 1;
        var last = first;
        for (var i = first + 1; i < lines.Length; i++)
        {
            if (lines[i].Length > 0 && !char.IsWhiteSpace(lines[i][0]) && lines[i][0] != '-')
                break;
            if (lines[i].Trim().Length > 0)
                last = i;
        }
        var rendered = "packs: [" + string.Join(", ", list.Select(e => Entry(e.Id, e.Version))) + "]";
        return string.Join('\n', lines.Take(first).Append(rendered).Concat(lines.Skip(last + 1)));
    }

    private static string Entry(string id, int version) => string.Create(CultureInfo.InvariantCulture, $"{{ id: {id}, version: {version} }}");

    /// <param name="packsNode">The document's <c>packs</c> key, when it has one.</param>
    private static List<(string Id, int Version)>? Read(string? draft, out YamlNode? packsNode)
    {
        packsNode = null;
        if (string.IsNullOrWhiteSpace(draft) || draft.Length > PolicyYamlLoader.MaxDocumentLength)
            return null;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(draft));
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
                return null;
            var key = root.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(k => k.Value == "packs");
            if (key is null)
                return [];
            packsNode = key;
            var node = root.Children[key];
            if (node is not YamlSequenceNode sequence)
                return null;
            var entries = new List<(string, int)>();
            foreach (var child in sequence.Children)
            {
                if (child is not YamlMappingNode entry
                    || !entry.Children.TryGetValue(new YamlScalarNode("id"), out var id) || id is not YamlScalarNode { Value: { } idText }
                    || !entry.Children.TryGetValue(new YamlScalarNode("version"), out var version) || version is not YamlScalarNode { Value: { } versionText }
                    || !int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                    return null;
                entries.Add((idText.Trim(), number));
            }
            return entries;
        }
        catch (YamlException)
        {
            return null;
        }
    }
}
