using System.Text.Json;
using Warden.Domain.Agents;
using Warden.Domain.RedTeam;
using Warden.Features.Decisions;

namespace Warden.Features.RedTeam;

/// <summary>
/// Turns a case into the request the agent under test would send: placeholders become one of its own
/// tools (one declared for the operation when there is one) and a resource inside its first scope.
/// </summary>
public static class DrillRequests
{
    public static DecisionRequestBody For(RedTeamCase drill, Agent agent)
    {
        ArgumentNullException.ThrowIfNull(drill);
        ArgumentNullException.ThrowIfNull(agent);
        JsonElement? parameters = null;
        if (!string.IsNullOrWhiteSpace(drill.ParametersJson))
        {
            using var document = JsonDocument.Parse(drill.ParametersJson);
            parameters = document.RootElement.Clone();
        }
        var impact = drill.Records is null && drill.Amount is null ? null : new DecisionImpactBody(drill.Records, drill.Amount, drill.Currency);
        return new DecisionRequestBody(Tool(drill.Tool, agent), drill.Operation, Resource(drill.Resource, agent), parameters, impact, drill.Justification)
        {
            DryRun = true,
        };
    }

    public static string Tool(string? tool, Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var wanted = tool switch
        {
            "$read" => OperationKind.Read,
            "$write" => OperationKind.Write,
            "$delete" => OperationKind.Delete,
            "$execute" => OperationKind.Execute,
            _ => (OperationKind?)null,
        };
        if (tool is null || !tool.StartsWith('$'))
            return tool ?? string.Empty;
        var declared = wanted is { } operation ? agent.Tools.FirstOrDefault(t => t.Operations.Contains(operation)) : null;
        return (declared ?? (agent.Tools.Count > 0 ? agent.Tools[0] : null))?.Name ?? "unknown.tool";
    }

    public static string Resource(string? resource, Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (string.IsNullOrWhiteSpace(resource))
            return InScope(agent);
        return resource.StartsWith("$scope", StringComparison.Ordinal) ? InScope(agent) + resource["$scope".Length..] : resource;
    }

    private static string InScope(Agent agent)
    {
        var pattern = agent.Scopes.Count > 0 ? agent.Scopes[0].Pattern : "drill";
        var filled = pattern.Replace("**", "drill/item", StringComparison.Ordinal).Replace("*", "item", StringComparison.Ordinal);
        return filled.Length == 0 ? "drill/item" : filled;
    }

    /// <summary>The request as shown with an outcome (tool, operation, resource, impact).</summary>
    public static string Describe(DecisionRequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var impact = body.Impact is { } i
            ? string.Join(", ", new[] { i.Records is { } r ? $"{r} records" : null, i.Amount is { } a ? $"{a} {i.Currency}".Trim() : null }.Where(s => s is not null))
            : null;
        return $"{body.Tool} {body.Operation} {body.Resource}" + (string.IsNullOrEmpty(impact) ? string.Empty : $" ({impact})");
    }
}
