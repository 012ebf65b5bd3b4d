using System.Text;
using System.Text.Json;
using Warden.Domain.Notifications;

namespace Warden.Features.Notifications;

/// <summary>What an alert says, whatever the channel: a title, a few facts, a deep link, and the agents it concerns.</summary>
public sealed record AlertMessage(string Kind, string Title, IReadOnlyList<(string Name, string Value)> Facts, string Link, IReadOnlyList<string> Agents)
{
    public string Text
    {
        get
        {
            var text = new StringBuilder();
            foreach (var (name, value) in Facts)
                text.Append(name).Append(": ").Append(value).Append('\n');
            return text.ToString().TrimEnd();
        }
    }

    /// <summary>
    /// Reads an outbox notification. Approvals and demotions carry their own payloads; the alerts the
    /// follower and the daily job queue carry <c>headline</c>, <c>facts</c>, <c>agents</c> and <c>link</c>.
    /// </summary>
    public static AlertMessage? From(OutboundNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (AlertKinds.Find(notification.Kind) is not { } kind)
            return null;
        using var document = JsonDocument.Parse(notification.Payload);
        if (!document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            return null;
        var link = Str(data, "link") ?? string.Empty;
        return notification.Kind switch
        {
            AlertKinds.ApprovalWaiting or AlertKinds.ApprovalEscalated => Approval(kind, data, link),
            AlertKinds.Demoted => new AlertMessage(kind.Key, $"{kind.Label}: {Str(data, "agentName")}",
                [("Agent", Str(data, "agentName") ?? "?"), ("Level", $"{Str(data, "fromLevel")} to {Str(data, "toLevel")}"), ("Reason", Str(data, "reason") ?? "")],
                link, Str(data, "agent") is { } agent ? [agent] : []),
            _ => Generic(kind, data, link),
        };
    }

    private static AlertMessage Approval(AlertKind kind, JsonElement data, string link)
    {
        var agent = data.TryGetProperty("agent", out var a) ? a : default;
        var agentName = agent.ValueKind == JsonValueKind.Object ? Str(agent, "name") ?? Str(agent, "id") : null;
        var facts = new List<(string, string)>
        {
            ("Agent", agentName ?? "?"),
            ("Action", $"{Str(data, "tool")} {Str(data, "operation")} on {Str(data, "resource")}"),
            ("Risk", Str(data, "riskTier") ?? "?"),
            ("Approvals", $"{Str(data, "approvals")} of {Str(data, "requiredApprovals")}"),
            ("Expires", Str(data, "expiresAt") ?? "?"),
        };
        if (Str(data, "escalatedTo") is { } group)
            facts.Add(("Escalated to", group));
        var agents = agent.ValueKind == JsonValueKind.Object && Str(agent, "id") is { } id ? new[] { id } : [];
        return new AlertMessage(kind.Key, $"{kind.Label}: {agentName} asks for {Str(data, "tool")}", facts, link, agents);
    }

    private static AlertMessage Generic(AlertKind kind, JsonElement data, string link)
    {
        var facts = new List<(string, string)>();
        if (data.TryGetProperty("facts", out var items) && items.ValueKind == JsonValueKind.Object)
            foreach (var item in items.EnumerateObject())
                facts.Add((item.Name, item.Value.ValueKind == JsonValueKind.String ? item.Value.GetString()! : item.Value.ToString()));
        var agents = data.TryGetProperty("agents", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];
        var headline = Str(data, "headline");
        return new AlertMessage(kind.Key, headline is null ? kind.Label : $"{kind.Label}: {headline}", facts, link, agents);
    }

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.ToString(),
        } : null;
}
