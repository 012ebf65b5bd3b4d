using Warden.Domain.Agents;

namespace Warden.Domain.Decisions;

/// <summary>What the agent declares it is about to do.</summary>
public sealed record RequestImpact(int Records = 0, decimal Amount = 0m, string? Currency = null)
{
    public static readonly RequestImpact None = new();
}

/// <summary>One tool call the agent asks permission for.</summary>
public sealed record DecisionRequest(string Tool, OperationKind Operation, string Resource, RequestImpact Impact, string? Justification = null)
{
    /// <summary>Builds a request from the wire form, where the operation is text such as "write".</summary>
    public static Result<DecisionRequest> Create(string tool, string operation, string resource, RequestImpact? impact, string? justification)
    {
        if (!OperationNames.TryParse(operation, out var kind))
            return new Error("decision.unknown_operation", $"Operation '{operation}' is not one of {OperationNames.All}.");
        return new DecisionRequest(tool ?? string.Empty, kind, resource ?? string.Empty, impact ?? RequestImpact.None, justification);
    }
}
