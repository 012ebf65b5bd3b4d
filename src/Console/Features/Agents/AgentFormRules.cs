using System.Text.RegularExpressions;
using Warden.Domain.Agents;

namespace Warden.Features.Agents;

/// <summary>
/// The form's own checks, giving every field its message at once; the domain checks again on save.
/// Each returns the message to show, or null when the value is fine.
/// </summary>
public static partial class AgentFormRules
{
    public static string? Name(string? name) => string.IsNullOrWhiteSpace(name)
        ? "Give the agent a name."
        : name.Trim().Length > AgentProfile.MaxNameLength ? $"At most {AgentProfile.MaxNameLength} characters." : null;

    public static string? Purpose(string? purpose) => string.IsNullOrWhiteSpace(purpose)
        ? "Say what the agent is for."
        : purpose.Trim().Length > AgentProfile.MaxPurposeLength ? $"At most {AgentProfile.MaxPurposeLength} characters." : null;

    public static string? Segment(string? segment) => SegmentPattern().IsMatch(segment?.Trim() ?? string.Empty)
        ? null
        : "1 to 50 lower-case letters, digits or '-', starting with a letter or digit (e.g. finance-eu).";

    public static string? Tags(string? tags)
    {
        var list = AgentFormModel.SplitTags(tags);
        if (list.Count > AgentProfile.MaxTags)
            return $"At most {AgentProfile.MaxTags} tags.";
        var bad = list.FirstOrDefault(t => !TagPattern().IsMatch(t.ToLowerInvariant()));
        return bad is null ? null : $"'{bad}' is not a tag: use 1 to 40 letters, digits, ':', '_' or '-'.";
    }

    public static string? Scopes(string? scopes)
    {
        var lines = AgentFormModel.SplitLines(scopes);
        if (lines.Count > AgentProfile.MaxScopes)
            return $"At most {AgentProfile.MaxScopes} resource scopes.";
        return lines.Select(ResourceScope.Create).FirstOrDefault(s => s.IsFailure)?.Error.Message;
    }

    public static string? RateLimit(int perMinute) => perMinute is < 1 or > AgentProfile.MaxRateLimitPerMinute
        ? $"1 to {AgentProfile.MaxRateLimitPerMinute:N0} requests per minute."
        : null;

    public static string? NotNegative(decimal? value) => value < 0 ? "Cannot be negative." : null;

    public static string? PerAction(decimal? perAction, decimal? daily) =>
        NotNegative(perAction) ?? (perAction > daily ? "Cannot exceed the daily budget." : null);

    public static string? Currency(AgentFormModel model, string? value)
    {
        var currency = value?.Trim() ?? string.Empty;
        if (currency.Length == 0)
            return model.HasAmountCap ? "Amount caps need a three-letter currency code such as EUR." : null;
        return currency.Length == 3 && currency.All(char.IsAsciiLetter) ? null : "Three letters, such as EUR or USD.";
    }

    public static string? ToolName(AgentFormModel model, ToolRowModel tool, string? value)
    {
        var name = value?.Trim() ?? string.Empty;
        if (name.Length == 0)
            return "Name the tool.";
        if (new ToolDeclaration(name, [OperationKind.Read], RiskTier.Low).Validate() is { IsFailure: true })
            return "Start with a lower-case letter; then lower-case letters, digits, '_', '.' or '-' (64 at most).";
        return model.Tools.Any(t => !ReferenceEquals(t, tool) && t.Name.Trim() == name) ? "This tool is declared twice." : null;
    }

    public static string? ToolOperations(ToolRowModel tool) => tool.Operations.Count == 0 ? "Choose at least one operation." : null;

    public static string? ToolSchema(string? schema) =>
        string.IsNullOrWhiteSpace(schema) || new ToolDeclaration("tool", [OperationKind.Read], RiskTier.Low, schema.Trim()).Validate().IsSuccess
            ? null
            : "Must be a JSON object, e.g. {\"type\": \"object\"}.";

    public static bool ToolsValid(AgentFormModel model) =>
        model.Tools.Count > 0 && model.Tools.All(t => ToolName(model, t, t.Name) is null && ToolOperations(t) is null && ToolSchema(t.ParameterSchema) is null);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,49}$")]
    private static partial Regex SegmentPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9:_-]{0,39}$")]
    private static partial Regex TagPattern();
}
