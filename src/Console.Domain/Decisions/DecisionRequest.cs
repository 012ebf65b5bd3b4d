using Warden.Domain.Agents;
using Warden.Domain.Previews;

namespace Warden.Domain.Decisions;

/// <summary>
/// What the agent declares it is about to do. <see cref="Declared"/> says which figures the request
/// gave: one it left out counts as zero, and a policy rule that requires it refuses or holds the request.
/// </summary>
public sealed record RequestImpact(int Records = 0, decimal Amount = 0m, string? Currency = null, ImpactFigures Declared = ImpactFigures.All)
{
    public static readonly RequestImpact None = new(Declared: ImpactFigures.None);
}

/// <summary>The figures of an impact a request declared.</summary>
[Flags]
public enum ImpactFigures
{
    None = 0,
    Records = 1,
    Amount = 2,
    All = Records | Amount,
}

/// <summary>One tool call the agent asks permission for.</summary>
public sealed record DecisionRequest(string Tool, OperationKind Operation, string Resource, RequestImpact Impact, string? Justification = null)
{
    /// <summary>Whether the request carries a preview of what it would change (or the tool's is to be fetched).</summary>
    public PreviewPresence Preview { get; init; } = PreviewPresence.Absent;

    /// <summary>Builds a request from the wire form, where the operation is text such as "write".</summary>
    public static Result<DecisionRequest> Create(string tool, string operation, string resource, RequestImpact? impact, string? justification)
    {
        if (!OperationNames.TryParse(operation, out var kind))
            return new Error("decision.unknown_operation", $"Operation '{operation}' is not one of {OperationNames.All}.");
        return new DecisionRequest(tool ?? string.Empty, kind, resource ?? string.Empty, impact ?? RequestImpact.None, justification);
    }
}
