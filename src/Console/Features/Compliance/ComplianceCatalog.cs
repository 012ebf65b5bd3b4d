namespace Warden.Features.Compliance;

/// <summary>One of Warden's controls: what it is, the pack section that shows it, and the checks that decide its status.</summary>
public sealed record ComplianceControl(string Id, string Title, string Section, IReadOnlyList<string> Checks);

/// <summary>Where a framework's wording comes from: the document, its version and where to read it.</summary>
public sealed record ComplianceSource(string Document, string Version, string Url);

/// <summary>One requirement of a framework (a category, article, control or criterion) and Warden's controls mapped to it.</summary>
public sealed record ComplianceRequirement(string Id, string Title, string Clause, string Url, IReadOnlyList<string> Controls);

public sealed record ComplianceFramework(string Id, string Name, ComplianceSource Source, IReadOnlyList<ComplianceRequirement> Requirements)
{
    /// <summary>The controls mapped to at least one requirement.</summary>
    public IReadOnlyList<string> ControlIds => [.. Requirements.SelectMany(r => r.Controls).Distinct(StringComparer.Ordinal)];
}

/// <summary>Warden's controls and the frameworks mapped to them, as loaded and checked at start-up.</summary>
public sealed class ComplianceCatalog(IReadOnlyList<ComplianceControl> controls, IReadOnlyList<ComplianceFramework> frameworks)
{
    public IReadOnlyList<ComplianceControl> Controls { get; } = controls;

    public IReadOnlyList<ComplianceFramework> Frameworks { get; } = frameworks;

    public ComplianceFramework? Framework(string? id) =>
        id is null ? null : Frameworks.FirstOrDefault(f => string.Equals(f.Id, id, StringComparison.Ordinal));

}

/// <summary>A mapping or control file that cannot be used; the message is one line naming the file and line.</summary>
public sealed class ComplianceCatalogException(string message) : Exception(message)
{
}
