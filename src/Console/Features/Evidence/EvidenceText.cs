using System.Globalization;

namespace Warden.Features.Evidence;

/// <summary>How values read in a pack: UTC times to the second, durations in their natural unit, stored effects, levels and reasons as words.</summary>
internal static class EvidenceText
{
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    public static string Time(DateTimeOffset? at) => at is { } value ? Time(value) : "—";

    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan? span) => span switch
    {
        null => "—",
        { TotalMilliseconds: < 1000 } s => string.Create(CultureInfo.InvariantCulture, $"{s.TotalMilliseconds:0} ms"),
        { TotalSeconds: < 120 } s => string.Create(CultureInfo.InvariantCulture, $"{s.TotalSeconds:0.#} s"),
        { TotalMinutes: < 120 } s => string.Create(CultureInfo.InvariantCulture, $"{s.TotalMinutes:0.#} min"),
        { TotalHours: < 72 } s => string.Create(CultureInfo.InvariantCulture, $"{s.TotalHours:0.#} h"),
        var s => string.Create(CultureInfo.InvariantCulture, $"{s.Value.TotalDays:0.#} days"),
    };

    public static TimeSpan? Median(List<TimeSpan> spans)
    {
        if (spans.Count == 0)
            return null;
        spans.Sort();
        return spans[spans.Count / 2];
    }

    public static string NotAvailable(string what) => $"Not available in this version: {what}";

    public static string Effect(Warden.Domain.Policies.PolicyEffect effect) => effect.Kind switch
    {
        Warden.Domain.Policies.PolicyEffectKind.RequireApproval =>
            string.Create(CultureInfo.InvariantCulture, $"require approval: {effect.Approvers} {(effect.Approvers == 1 ? "approver" : "approvers")}, expires after {effect.ExpiryMinutes} min"),
        Warden.Domain.Policies.PolicyEffectKind.Deny => "deny",
        Warden.Domain.Policies.PolicyEffectKind.Mask => "mask in outputs",
        _ => "allow",
    };

    /// <summary>The autonomy level an agent snapshot records, or "?".</summary>
    public static string Level(string? snapshot)
    {
        if (snapshot is null)
            return "?";
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(snapshot)?["autonomyLevel"]?.GetValue<int>().ToString(CultureInfo.InvariantCulture) ?? "?";
        }
        catch (System.Text.Json.JsonException)
        {
            return "?";
        }
    }

    /// <summary>The stored reasons (a JSON array of code and message) as lines an auditor reads.</summary>
    public static string Reasons(string json)
    {
        try
        {
            using var reasons = System.Text.Json.JsonDocument.Parse(json);
            if (reasons.RootElement.ValueKind != System.Text.Json.JsonValueKind.Array)
                return json;
            return string.Join("\n", reasons.RootElement.EnumerateArray().Select(r =>
                r.ValueKind == System.Text.Json.JsonValueKind.Object
                    ? $"{(r.TryGetProperty("code", out var code) ? code.GetString() : null)}: {(r.TryGetProperty("message", out var message) ? message.GetString() : null)}"
                    : r.ToString()));
        }
        catch (System.Text.Json.JsonException)
        {
            return json;
        }
    }
}
