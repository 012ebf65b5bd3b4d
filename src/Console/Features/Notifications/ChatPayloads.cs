using System.Text.Json.Nodes;

namespace Warden.Features.Notifications;

/// <summary>
/// The bodies Slack and Microsoft Teams incoming webhooks accept. Each carries the deep link back to
/// the console and nothing that acts from outside it.
/// </summary>
public static class ChatPayloads
{
    /// <summary>Slack: <c>text</c> (the notification fallback) and Block Kit <c>blocks</c>.</summary>
    public static JsonObject Slack(string title, string text, string link)
    {
        var blocks = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "header",
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Cut(title, 150) },
            },
        };
        if (text.Length > 0)
            blocks.Add(new JsonObject
            {
                ["type"] = "section",
                ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Cut(Escape(text), 3000) },
            });
        if (IsAbsolute(link))
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["elements"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["type"] = "button",
                        ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Open in Warden" },
                        ["url"] = link,
                    },
                },
            });
        else if (link.Length > 0)
            blocks.Add(new JsonObject
            {
                ["type"] = "context",
                ["elements"] = new JsonArray { new JsonObject { ["type"] = "mrkdwn", ["text"] = "In Warden: " + Escape(link) } },
            });
        return new JsonObject
        {
            ["text"] = IsAbsolute(link) ? $"{title} <{link}|Open in Warden>" : title,
            ["blocks"] = blocks,
        };
    }

    /// <summary>Teams: a <c>message</c> with one Adaptive Card attachment (title, facts, an Open URL action).</summary>
    public static JsonObject Teams(string title, string text, string link)
    {
        var facts = new JsonArray();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            facts.Add(colon > 0
                ? new JsonObject { ["title"] = line[..colon], ["value"] = line[(colon + 2)..] }
                : new JsonObject { ["title"] = string.Empty, ["value"] = line });
        }
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = title, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
            new JsonObject { ["type"] = "FactSet", ["facts"] = facts },
        };
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = body,
        };
        if (IsAbsolute(link))
            card["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open in Warden", ["url"] = link } };
        else if (link.Length > 0)
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = "In Warden: " + link, ["wrap"] = true, ["isSubtle"] = true });
        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                new JsonObject
                {
                    ["contentType"] = "application/vnd.microsoft.card.adaptive",
                    ["contentUrl"] = null,
                    ["content"] = card,
                },
            },
        };
    }

    private static bool IsAbsolute(string link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    // Slack reads &, < and > as control characters in mrkdwn.
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "\u2026";
}
