namespace Warden.Domain.Gateway;

/// <summary>
/// An upstream MCP server registered with the gateway, and the tools of it that agents may reach.
/// Every change is a method that refuses with a <see cref="Result"/> and leaves the upstream untouched.
/// </summary>
public sealed class Upstream
{
    public const string IdPrefix = "ups_";
    public const int MaxMappings = 200;

    private List<string> _arguments = [];
    private List<string> _headerNames = [];

    private Upstream()
    {
    }

    public string Id { get; private set; } = string.Empty;
    public string Name { get; private set; } = string.Empty;
    public UpstreamTransport Transport { get; private set; }
    public string? Command { get; private set; }
    public IReadOnlyList<string> Arguments => _arguments;
    public string? WorkingDirectory { get; private set; }
    public string? Url { get; private set; }

    /// <summary>The names of the HTTP headers Warden sends (credentials); their values are sealed in <see cref="SealedHeaders"/>.</summary>
    public IReadOnlyList<string> HeaderNames => _headerNames;
    public string? SealedHeaders { get; private set; }
    public IReadOnlyList<ToolMapping> Mappings { get; private set; } = [];
    public DateTimeOffset RegisteredAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public UpstreamSettings Settings => new(Name, Transport, Command, Arguments, WorkingDirectory, Url);

    public static Result<Upstream> Register(string id, UpstreamSettings settings, DateTimeOffset now)
    {
        var upstream = new Upstream { Id = id, RegisteredAt = now };
        var applied = upstream.Apply(settings, now);
        return applied.IsFailure ? applied.Error : upstream;
    }

    public Result Change(UpstreamSettings settings, DateTimeOffset now) => Apply(settings, now);

    /// <summary>Replaces the credentials: header names in the clear, their values sealed by the caller.</summary>
    public Result SetHeaders(IReadOnlyList<string> names, string? sealedValues, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count > 0 && Transport != UpstreamTransport.Http)
            return GatewayErrors.HeadersOnlyForHttp;
        if (names.Any(n => !HeaderName.IsValid(n)) || names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Count)
            return GatewayErrors.InvalidHeaderNames;
        _headerNames = [.. names];
        SealedHeaders = names.Count == 0 ? null : sealedValues;
        UpdatedAt = now;
        return Result.Success();
    }

    /// <summary>Maps an upstream tool; mapping the same upstream tool again replaces its mapping.</summary>
    public Result Map(ToolMapping mapping, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        var valid = mapping.Validate();
        if (valid.IsFailure)
            return valid;
        if (Mappings.Any(m => m.ExposedName == mapping.ExposedName && m.UpstreamTool != mapping.UpstreamTool))
            return GatewayErrors.ExposedNameTaken(mapping.ExposedName);
        var others = Mappings.Where(m => m.UpstreamTool != mapping.UpstreamTool).ToList();
        if (others.Count >= MaxMappings)
            return GatewayErrors.TooManyMappings;
        Mappings = [.. others, mapping];
        UpdatedAt = now;
        return Result.Success();
    }

    public Result Unmap(string exposedName, DateTimeOffset now)
    {
        if (!Mappings.Any(m => m.ExposedName == exposedName))
            return GatewayErrors.MappingNotFound(exposedName);
        Mappings = Mappings.Where(m => m.ExposedName != exposedName).ToList();
        UpdatedAt = now;
        return Result.Success();
    }

    public ToolMapping? MappingFor(string exposedName) => Mappings.FirstOrDefault(m => m.ExposedName == exposedName);

    private Result Apply(UpstreamSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var normalized = settings.Normalized();
        var valid = normalized.Validate();
        if (valid.IsFailure)
            return valid;
        if (normalized.Transport != UpstreamTransport.Http && _headerNames.Count > 0)
            return GatewayErrors.HeadersOnlyForHttp;
        Name = normalized.Name;
        Transport = normalized.Transport;
        Command = normalized.Command;
        _arguments = [.. normalized.Arguments];
        WorkingDirectory = normalized.WorkingDirectory;
        Url = normalized.Url;
        UpdatedAt = now;
        return Result.Success();
    }
}
