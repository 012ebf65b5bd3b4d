using System.Text;
using System.Text.RegularExpressions;

namespace Warden.Domain.Gateway;

/// <summary>
/// How the gateway names the resource of a tool call: a path such as <c>fs/{path}</c> whose
/// placeholders are filled from the call's arguments. A filled value may span segments
/// (<c>/srv/demo/a.txt</c> gives <c>fs/srv/demo/a.txt</c>) but never climbs out of them: a <c>..</c>
/// segment is refused, so a scope such as <c>fs/srv/demo/**</c> means what it says. Empty and
/// <c>.</c> segments are dropped; a value that names nothing else (<c>.</c>, <c>/</c>) fills as <c>.</c>.
/// </summary>
public sealed partial record ResourceTemplate
{
    public const int MaxLength = 200;

    private ResourceTemplate(string text, IReadOnlyList<string> placeholders)
    {
        Text = text;
        Placeholders = placeholders;
    }

    public string Text { get; }

    public IReadOnlyList<string> Placeholders { get; }

    public static Result<ResourceTemplate> Create(string? text)
    {
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > MaxLength)
            return GatewayErrors.InvalidTemplate(text, $"a template has 1 to {MaxLength} characters");
        var literal = Placeholder().Replace(trimmed, "x");
        if (literal.Contains('{', StringComparison.Ordinal) || literal.Contains('}', StringComparison.Ordinal))
            return GatewayErrors.InvalidTemplate(text, "placeholders are argument names in braces, such as {path}");
        if (literal.Split('/').Any(s => s.Length == 0 || s is "." or ".." || !s.All(IsLiteralChar)))
            return GatewayErrors.InvalidTemplate(text, "segments are letters, digits, '-', '_', '.' or placeholders, separated by single '/'");
        var names = Placeholder().Matches(trimmed).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
        return new ResourceTemplate(trimmed, names);
    }

    /// <summary>The resource for one call; <paramref name="argument"/> gives an argument's text, or null when it is missing.</summary>
    public Result<string> Fill(Func<string, string?> argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        var failure = (Error?)null;
        var filled = Placeholder().Replace(Text, match =>
        {
            var name = match.Groups[1].Value;
            var value = argument(name);
            if (string.IsNullOrWhiteSpace(value))
            {
                failure ??= GatewayErrors.ArgumentMissing(name);
                return string.Empty;
            }
            var segments = value.Trim().Split('/').Where(s => s.Length > 0 && s != ".").ToList();
            if (segments.Any(s => s == ".." || s.Any(char.IsControl)))
            {
                failure ??= GatewayErrors.ArgumentNotAResource(name);
                return string.Empty;
            }
            return segments.Count == 0 ? "." : string.Join('/', segments);
        });
        if (failure is not null)
            return failure;
        return filled.Length > 512 ? GatewayErrors.ResourceTooLong : filled;
    }

    public override string ToString() => Text;

    private static bool IsLiteralChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]{0,63})\}")]
    private static partial Regex Placeholder();
}
