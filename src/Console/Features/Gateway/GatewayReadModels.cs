using Warden.Domain.Gateway;

namespace Warden.Features.Gateway;

public sealed record UpstreamRow(
    string Id,
    string Name,
    UpstreamTransport Transport,
    string Target,
    string? WorkingDirectory,
    IReadOnlyList<string> HeaderNames,
    IReadOnlyList<MappingRow> Mappings,
    UpstreamHealth Health,
    DateTimeOffset UpdatedAt);

public sealed record MappingRow(string ExposedName, string UpstreamTool, string WardenTool, string Operation, string ResourceTemplate, string? MinimumRisk);

/// <summary>A tool the upstream offers, and under which name agents see it if it is mapped.</summary>
public sealed record UpstreamToolRow(string Name, string? Description, string? MappedAs);
