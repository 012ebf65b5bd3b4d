namespace Warden.Features.Compliance;

/// <summary>Where an operator keeps mapping files of their own (for example an internal control framework), beside the ones Warden ships.</summary>
public sealed class ComplianceOptions
{
    public const string SectionName = "Compliance";

    /// <summary>A folder of extra framework mapping files (*.yaml); empty for none.</summary>
    public string MappingFolder { get; set; } = string.Empty;

    public static IReadOnlyList<(string Name, string Text)> ExtraFiles(ComplianceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.MappingFolder))
            return [];
        if (!Directory.Exists(options.MappingFolder))
            throw new ComplianceCatalogException($"Compliance:MappingFolder '{options.MappingFolder}' does not exist.");
        return [.. Directory.GetFiles(options.MappingFolder, "*.yaml").Order(StringComparer.Ordinal)
            .Select(path => (Path.GetFileName(path), File.ReadAllText(path)))];
    }
}
