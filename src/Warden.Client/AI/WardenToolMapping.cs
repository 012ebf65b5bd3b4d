using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Warden.Client.AI;

/// <summary>
/// How one model-facing function is asked of Warden: the Warden tool and operation, the resource its
/// arguments touch, and optionally impact and justification. The parameters are the call's arguments.
/// </summary>
public sealed partial class WardenToolMapping
{
    /// <param name="tool">The tool as registered on the agent in Warden, e.g. <c>tickets.reply</c>.</param>
    /// <param name="operation"><c>read</c>, <c>write</c>, <c>delete</c> or <c>execute</c>.</param>
    /// <param name="resource">The resource for a call's arguments.</param>
    public WardenToolMapping(string tool, string operation, Func<AIFunctionArguments, string> resource)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tool);
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        ArgumentNullException.ThrowIfNull(resource);
        Tool = tool;
        Operation = operation;
        Resource = resource;
    }

    /// <param name="resourceTemplate">The resource with <c>{argument}</c> placeholders, e.g. <c>helpdesk/tickets/{ticketId}</c>.</param>
    public WardenToolMapping(string tool, string operation, string resourceTemplate)
        : this(tool, operation, Fill(resourceTemplate))
    {
    }

    public string Tool { get; }

    public string Operation { get; }

    public Func<AIFunctionArguments, string> Resource { get; }

    public Func<AIFunctionArguments, WardenImpact?>? Impact { get; init; }

    public Func<AIFunctionArguments, string?>? Justification { get; init; }

    /// <summary>The ask for one call: its arguments become the parameters Warden checks against the tool's schema.</summary>
    public WardenAsk ToAsk(AIFunctionArguments arguments, JsonSerializerOptions? json = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var values = arguments.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        return new WardenAsk(Tool, Operation, Resource(arguments))
        {
            Parameters = JsonSerializer.SerializeToElement(values, json ?? AIJsonUtilities.DefaultOptions),
            Impact = Impact?.Invoke(arguments),
            Justification = Justification?.Invoke(arguments),
        };
    }

    private static Func<AIFunctionArguments, string> Fill(string template)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(template);
        return arguments => Placeholder().Replace(template, match =>
            arguments.TryGetValue(match.Groups[1].Value, out var value) ? Text(value) : string.Empty);
    }

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString() ?? string.Empty,
        JsonElement element => element.GetRawText(),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)\}")]
    private static partial Regex Placeholder();
}
