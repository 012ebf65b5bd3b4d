using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Domain.Gateway;

namespace Warden.Features.Gateway;

/// <summary>An upstream as the form sends it. Header values are write-only: null keeps the ones stored.</summary>
public sealed record UpstreamDraft
{
    public string Name { get; init; } = string.Empty;
    public UpstreamTransport Transport { get; init; }
    public string? Command { get; init; }
    public IReadOnlyList<string> Arguments { get; init; } = [];
    public string? WorkingDirectory { get; init; }
    public string? Url { get; init; }
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public UpstreamSettings ToSettings() => new(Name, Transport, Command, Arguments, WorkingDirectory, Url);
}

/// <summary>A mapping as the form sends it; the listed name defaults to the upstream tool's own name.</summary>
public sealed record MappingDraft(string UpstreamTool, string? ExposedName, string WardenTool, string Operation, string ResourceTemplate, string? MinimumRisk)
{
    public Result<ToolMapping> ToMapping()
    {
        if (!OperationNames.TryParse(Operation, out var operation))
            return GatewayErrors.InvalidOperation;
        RiskTier? risk = null;
        if (!string.IsNullOrWhiteSpace(MinimumRisk))
        {
            if (!Enum.TryParse<RiskTier>(MinimumRisk.Trim(), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                return GatewayErrors.InvalidRisk;
            risk = parsed;
        }
        var upstreamTool = UpstreamTool?.Trim() ?? string.Empty;
        var mapping = new ToolMapping(
            upstreamTool,
            string.IsNullOrWhiteSpace(ExposedName) ? upstreamTool : ExposedName.Trim(),
            WardenTool?.Trim() ?? string.Empty,
            operation,
            ResourceTemplate?.Trim() ?? string.Empty,
            risk);
        var valid = mapping.Validate();
        return valid.IsFailure ? valid.Error : mapping;
    }
}
