using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Warden.Features.Compliance;

/// <summary>
/// Reads the controls file and the framework mapping files (YAML) and checks every reference: a control
/// naming a check nobody registered, or a mapping naming a control that does not exist, is refused with
/// one line giving the file and the line of the offending entry.
/// </summary>
public static class ComplianceCatalogLoader
{
    public const string ControlsFile = "controls.yaml";
    private const string ResourcePrefix = "Warden.Features.Compliance.Mappings.";

    /// <summary>The files shipped inside Warden, by file name.</summary>
    public static IReadOnlyList<(string Name, string Text)> Embedded()
    {
        var assembly = typeof(ComplianceCatalogLoader).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n[ResourcePrefix.Length..], Read(assembly, n)))];
    }

    /// <summary>Builds the catalog from the files (one named <see cref="ControlsFile"/>, the others frameworks).</summary>
    public static ComplianceCatalog Load(IReadOnlyList<(string Name, string Text)> files, IReadOnlySet<string> checkIds)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(checkIds);
        var controlsFile = files.Where(f => f.Name == ControlsFile).ToList();
        if (controlsFile.Count != 1)
            throw new ComplianceCatalogException($"compliance mappings: expected exactly one {ControlsFile}, found {controlsFile.Count}.");
        var controls = Controls(controlsFile[0].Name, controlsFile[0].Text, checkIds);
        var known = controls.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var frameworks = new List<ComplianceFramework>();
        foreach (var (name, text) in files.Where(f => f.Name != ControlsFile))
        {
            var framework = Framework(name, text, known);
            if (frameworks.Exists(f => f.Id == framework.Id))
                throw new ComplianceCatalogException($"{name}: framework id '{framework.Id}' is used by another mapping file.");
            frameworks.Add(framework);
        }
        return new ComplianceCatalog(controls, frameworks);
    }

    private static List<ComplianceControl> Controls(string file, string text, IReadOnlySet<string> checkIds)
    {
        var root = Root(file, text);
        var list = Sequence(file, root, "controls");
        var controls = new List<ComplianceControl>();
        foreach (var node in list)
        {
            var entry = Mapping(file, node, "a control");
            var id = Scalar(file, entry, "id");
            if (controls.Exists(c => c.Id == id))
                throw Error(file, entry, $"control '{id}' is defined twice");
            var checks = Names(file, entry, "checks");
            foreach (var (check, at) in checks)
            {
                if (!checkIds.Contains(check))
                    throw Error(file, at, $"control '{id}' names unknown check '{check}'");
            }
            controls.Add(new ComplianceControl(id, Scalar(file, entry, "title"), Scalar(file, entry, "section"), [.. checks.Select(c => c.Name)]));
        }
        return controls;
    }

    private static ComplianceFramework Framework(string file, string text, HashSet<string> controls)
    {
        var root = Root(file, text);
        var head = Mapping(file, Child(file, root, "framework"), "framework");
        var source = Mapping(file, Child(file, head, "source"), "source");
        var framework = new ComplianceSource(Scalar(file, source, "document"), Scalar(file, source, "version"), Scalar(file, source, "url"));
        var requirements = new List<ComplianceRequirement>();
        foreach (var node in Sequence(file, root, "requirements"))
        {
            var entry = Mapping(file, node, "a requirement");
            var id = Scalar(file, entry, "id");
            var mapped = Names(file, entry, "controls");
            foreach (var (control, at) in mapped)
            {
                if (!controls.Contains(control))
                    throw Error(file, at, $"requirement '{id}' names unknown control '{control}'");
            }
            var url = entry.Children.ContainsKey(new YamlScalarNode("url")) ? Scalar(file, entry, "url") : framework.Url;
            requirements.Add(new ComplianceRequirement(id, Scalar(file, entry, "title"), Scalar(file, entry, "clause"), url, [.. mapped.Select(m => m.Name)]));
        }
        return new ComplianceFramework(Scalar(file, head, "id"), Scalar(file, head, "name"), framework, requirements);
    }

    private static YamlMappingNode Root(string file, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ComplianceCatalogException($"{file} line {e.Start.Line}: not valid YAML ({e.Message.ReplaceLineEndings(" ")})");
        }
        return stream.Documents.Count == 1 && stream.Documents[0].RootNode is YamlMappingNode root
            ? root
            : throw new ComplianceCatalogException($"{file} line 1: expected one YAML document with a mapping at its root.");
    }

    private static YamlNode Child(string file, YamlMappingNode parent, string key) =>
        parent.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : throw Error(file, parent, $"'{key}' is missing");

    private static YamlMappingNode Mapping(string file, YamlNode node, string what) =>
        node as YamlMappingNode ?? throw Error(file, node, $"expected {what} as a mapping");

    private static YamlSequenceNode Sequence(string file, YamlMappingNode parent, string key) =>
        Child(file, parent, key) as YamlSequenceNode ?? throw Error(file, parent, $"'{key}' must be a list");

    private static string Scalar(string file, YamlMappingNode parent, string key) =>
        Child(file, parent, key) is YamlScalarNode { Value: { Length: > 0 } value } ? value.Trim() : throw Error(file, parent, $"'{key}' must be a non-empty text");

    private static List<(string Name, YamlNode At)> Names(string file, YamlMappingNode parent, string key)
    {
        var names = Sequence(file, parent, key).Children
            .Select(n => n is YamlScalarNode { Value: { Length: > 0 } value } ? (value.Trim(), n) : throw Error(file, n, $"'{key}' must list names"))
            .ToList();
        return names.Count > 0 ? names : throw Error(file, parent, $"'{key}' must name at least one");
    }

    private static ComplianceCatalogException Error(string file, YamlNode at, string message) =>
        new($"{file} line {at.Start.Line}: {message}.");

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
