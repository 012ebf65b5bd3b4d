using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Warden.Features.Policies;

/// <summary>Reads the values of a policy document's YAML nodes; a value of the wrong shape is a problem naming its line and column.</summary>
internal static class PolicyYamlNodes
{
    public static List<T> List<T>(YamlMappingNode parent, string field, Func<YamlNode, string, T> parse)
    {
        var node = Find(parent, field);
        if (node is null)
            return [];
        if (node is not YamlSequenceNode sequence)
            throw Fail(PolicyYamlErrors.InvalidValueCode, node.Start, $"'{field}' must be a list, e.g. [a, b].");
        var values = new List<T>(sequence.Children.Count);
        foreach (var item in sequence.Children)
        {
            var text = Scalar(item, field).Trim();
            if (text.Length == 0)
                throw Fail(PolicyYamlErrors.InvalidValueCode, item.Start, $"'{field}' cannot contain an empty value.");
            values.Add(parse(item, text));
        }
        return values;
    }

    public static void CheckFields(YamlMappingNode mapping, string[] known, string where)
    {
        foreach (var key in mapping.Children.Keys)
        {
            var name = key is YamlScalarNode scalar ? scalar.Value : null;
            if (name is null || Array.IndexOf(known, name) < 0)
                throw Fail(PolicyYamlErrors.UnknownFieldCode, key.Start, $"unknown field '{name}' in {where}; expected one of: {string.Join(", ", known)}.");
        }
    }

    public static YamlMappingNode Mapping(YamlNode node, string what) =>
        node as YamlMappingNode ?? throw Fail(PolicyYamlErrors.InvalidValueCode, node.Start, $"{what} must be a mapping of fields.");

    public static YamlNode? Find(YamlMappingNode mapping, string field) =>
        mapping.Children.TryGetValue(new YamlScalarNode(field), out var value) ? value : null;

    public static YamlNode Required(YamlMappingNode mapping, string field, YamlNode owner) =>
        Find(mapping, field) ?? throw Fail(PolicyYamlErrors.MissingFieldCode, owner.Start, $"'{field}' is required here.");

    public static string RequiredScalar(YamlMappingNode mapping, string field, YamlNode owner)
    {
        var node = Required(mapping, field, owner);
        var text = Scalar(node, field).Trim();
        return text.Length > 0 ? text : throw Fail(PolicyYamlErrors.MissingFieldCode, node.Start, $"'{field}' cannot be empty.");
    }

    public static string Scalar(YamlNode node, string field) =>
        node is YamlScalarNode scalar
            ? scalar.Value ?? string.Empty
            : throw Fail(PolicyYamlErrors.InvalidValueCode, node.Start, $"'{field}' must be a single value, not a list or mapping.");

    public static int Integer(YamlNode node, string field)
    {
        var text = Scalar(node, field).Trim();
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw Fail(PolicyYamlErrors.InvalidValueCode, node.Start, $"'{field}' must be a whole number of at least 0, not '{text}'.");
    }

    public static decimal Decimal(YamlNode node, string field)
    {
        var text = Scalar(node, field).Trim();
        return decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw Fail(PolicyYamlErrors.InvalidValueCode, node.Start, $"'{field}' must be a number of at least 0, not '{text}'.");
    }

    public static PolicyYamlException Fail(string code, Mark mark, string message) => new(Problem(code, mark, message));

    public static PolicyProblem Problem(string code, Mark mark, string message) =>
        new(Math.Max(mark.Line, 1), Math.Max(mark.Column, 1), code, message);
}

internal sealed class PolicyYamlException(PolicyProblem problem) : Exception(problem.ToString())
{
    public PolicyProblem Problem { get; } = problem;
}
