using System.Text.Json;
using Warden.Domain.Audit;
using Warden.Domain.Notifications;

namespace Warden.Features.Notifications;

/// <summary>The alert an audit event raises, if any: a headline, facts, the agents it concerns and a deep link.</summary>
public static class AuditAlerts
{
    public sealed record Alert(string Kind, string Subject, object Body);

    public static Alert? From(AuditEvent e, Func<string, string> link)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(link);
        if (!AlertKinds.FromAuditLog.Contains(e.Kind))
            return null;
        using var document = JsonDocument.Parse(string.IsNullOrEmpty(e.Data) ? "{}" : e.Data);
        var data = document.RootElement;
        var by = e.ActorName;
        object? body = e.Kind switch
        {
            AlertKinds.Tripped => Body(
                Str(data, "label") ?? Str(data, "target") ?? "everything",
                new() { ["Scope"] = Str(data, "scope"), ["Target"] = Str(data, "label") ?? Str(data, "target"), ["Reason"] = Str(data, "reason"), ["Tripped by"] = by, ["Source"] = Str(data, "source"), ["Agents stopped"] = Count(data, "agents") },
                Ids(data, "agents"), link("/containment")),
            AlertKinds.Released => Body(
                e.Subject,
                new() { ["Reason"] = Str(data, "reason"), ["Released by"] = by, ["Contained for"] = Str(data, "containedFor"), ["Agents restored"] = Count(data, "agentsRestored") },
                Ids(data, "agentsRestored"), link("/containment")),
            AlertKinds.Anomaly => Body(
                $"{Str(data, "kind")} on {e.Subject}",
                new() { ["Agent"] = e.Subject, ["Severity"] = Str(data, "severity"), ["Score"] = Str(data, "score"), ["Explanation"] = Str(data, "explanation") },
                [e.Subject], link($"/agents/{e.Subject}")),
            AlertKinds.PackReady => Body(
                Str(data, "title") ?? e.Subject,
                new() { ["Pack"] = e.Subject, ["Events"] = Str(data, "events"), ["Completeness"] = Str(data, "completeness") },
                [], link("/evidence")),
            AlertKinds.PackFailed => Body(
                Str(data, "title") ?? e.Subject,
                new() { ["Pack"] = e.Subject, ["Error"] = Str(data, "error") },
                [], link("/evidence")),
            AlertKinds.IncidentOpened => Incident(e, data, link),
            _ => null,
        };
        return body is null ? null : new Alert(e.Kind, Cut(e.Subject, 64), body);
    }

    // Incidents write their own data; whatever plain values it carries become facts.
    private static object Incident(AuditEvent e, JsonElement data, Func<string, string> link)
    {
        var id = e.Subject.StartsWith("incident:", StringComparison.Ordinal) ? e.Subject["incident:".Length..] : e.Subject;
        var facts = new Dictionary<string, string?>(StringComparer.Ordinal) { ["Incident"] = id, ["Opened by"] = e.ActorName };
        if (data.ValueKind == JsonValueKind.Object)
            foreach (var property in data.EnumerateObject().Where(p => p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number).Take(8))
                facts[char.ToUpperInvariant(property.Name[0]) + property.Name[1..]] = property.Value.ToString();
        var agents = Ids(data, "agents").Concat(Str(data, "agent") is { } one ? [one] : Array.Empty<string>()).Distinct(StringComparer.Ordinal).ToList();
        return Body(Str(data, "title") ?? id, facts, agents, link($"/incidents/{Uri.EscapeDataString(id)}"));
    }

    private static object Body(string headline, Dictionary<string, string?> facts, IReadOnlyList<string> agents, string link) => new
    {
        headline,
        facts = facts.Where(f => !string.IsNullOrEmpty(f.Value)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal),
        agents,
        link,
    };

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch { JsonValueKind.String => value.GetString(), JsonValueKind.Null => null, _ => value.ToString() }
            : null;

    private static List<string> Ids(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
            : [];

    private static string Count(JsonElement element, string name) => Ids(element, name).Count.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
