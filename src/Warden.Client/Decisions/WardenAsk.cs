using System.Text.Json;

namespace Warden.Client;

/// <summary>What an agent asks before acting: the body of <c>POST /api/v1/decisions</c>.</summary>
/// <param name="Tool">The tool as registered on the agent, e.g. <c>tickets.reply</c>.</param>
/// <param name="Operation"><c>read</c>, <c>write</c>, <c>delete</c> or <c>execute</c>.</param>
/// <param name="Resource">What the action touches, e.g. <c>helpdesk/tickets/1042</c>.</param>
public sealed record WardenAsk(string Tool, string Operation, string Resource)
{
    /// <summary>The tool call's arguments as a JSON object; checked against the tool's schema.</summary>
    public JsonElement? Parameters { get; init; }

    public WardenImpact? Impact { get; init; }

    public string? Justification { get; init; }

    /// <summary>
    /// True: Warden decides the ask and says what would happen, reserving nothing (no grant, no count
    /// against limits or budgets, no approval request); see <see cref="WardenClient.DryRunAsync"/>.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public bool? DryRun { get; init; }

    /// <summary>An ask whose parameters are <paramref name="parameters"/> serialized as JSON (camelCase).</summary>
    public static WardenAsk For(string tool, string operation, string resource, object? parameters = null) =>
        new(tool, operation, resource)
        {
            Parameters = parameters switch
            {
                null => JsonSerializer.SerializeToElement(new Dictionary<string, object?>()),
                JsonElement element => element,
                _ => JsonSerializer.SerializeToElement(parameters, WardenJson.Options),
            },
        };
}

/// <summary>How much an action touches: records, money.</summary>
public sealed record WardenImpact(int? Records = null, decimal? Amount = null, string? Currency = null);
