using System.Text.RegularExpressions;
using Warden.Domain.Agents;

namespace Warden.Domain.Gateway;

/// <summary>
/// One upstream tool as agents see it through the gateway: the name it is listed under, the Warden
/// tool it counts as (which the agent must declare), what kind of operation it is, how its resource
/// is read from the arguments, and, optionally, the least risk tier the agent must declare it at.
/// </summary>
public sealed partial record ToolMapping(
    string UpstreamTool,
    string ExposedName,
    string WardenTool,
    OperationKind Operation,
    string ResourceTemplate,
    RiskTier? MinimumRisk = null)
{
    public Result Validate()
    {
        if (!McpName().IsMatch(UpstreamTool ?? string.Empty))
            return GatewayErrors.InvalidToolName(UpstreamTool, "upstream tool");
        if (!McpName().IsMatch(ExposedName ?? string.Empty))
            return GatewayErrors.InvalidToolName(ExposedName, "listed name");
        if (!WardenToolName().IsMatch(WardenTool ?? string.Empty))
            return GatewayErrors.InvalidToolName(WardenTool, "Warden tool");
        if (!Enum.IsDefined(Operation))
            return GatewayErrors.InvalidOperation;
        if (MinimumRisk is { } risk && !Enum.IsDefined(risk))
            return GatewayErrors.InvalidRisk;
        var template = Gateway.ResourceTemplate.Create(ResourceTemplate);
        return template.IsFailure ? template.Error : Result.Success();
    }

    public ResourceTemplate Template => Gateway.ResourceTemplate.Create(ResourceTemplate).Value;

    // MCP tool names: 1 to 128 of letters, digits, '_', '-' and '.'.
    [GeneratedRegex("^[A-Za-z0-9_.-]{1,128}$")]
    private static partial Regex McpName();

    // As a declared agent tool (ToolDeclaration).
    [GeneratedRegex("^[a-z][a-z0-9_.-]{0,63}$")]
    private static partial Regex WardenToolName();
}
