using Warden.Features.Compliance;
using Warden.Features.Evidence.Rendering;

namespace Warden.Features.Evidence;

/// <summary>
/// The compliance coverage section: each control with the section that shows it and its status from
/// this pack's records, and, for a pack made for one framework, that framework's requirements with
/// the controls mapped to them. Every framework's source is named, so the mapping can be checked.
/// </summary>
internal static class EvidenceCoverageSection
{
    public static void Write(IEvidenceDocument doc, string title, ComplianceCoverage coverage, ComplianceCatalog catalog)
    {
        doc.Heading(title);
        doc.Paragraph("Each of Warden's controls, the section of this pack that shows it, and its status computed from this pack's records " +
                      "(met, partly or not covered), with the reason. A control is met when every one of its checks is met, and not covered when none is even partly.");
        doc.Facts([
            new("Framework", coverage.Framework is { } chosen ? $"{chosen.Name}: {chosen.Source.Document}, {chosen.Source.Version}" : "all of Warden's controls"),
            new("Audit readiness", $"{coverage.Score} %"),
            new("Summary", coverage.Summary),
        ]);
        var controls = doc.Table([new("Control", 3), new("Shown in", 1.8), new("Status", 1.1), new("Reason", 4.4)]);
        foreach (var c in coverage.Controls)
            controls.Row($"{c.Control.Title}\n({c.Control.Id})", c.Control.Section, ComplianceCoverage.Word(c.Status), c.Reason);

        if (coverage.Framework is { } framework)
        {
            doc.Heading($"Requirements of {framework.Name}", 2);
            var requirements = doc.Table([new("Requirement", 1.6), new("Title", 3.8), new("Controls", 3), new("Status", 1.1)]);
            foreach (var r in coverage.Requirements)
                requirements.Row($"{r.Requirement.Id}\n{r.Requirement.Clause}", r.Requirement.Title,
                    string.Join("\n", r.Controls.Select(c => $"{c.Control.Id}: {ComplianceCoverage.Word(c.Status)}")), ComplianceCoverage.Word(r.Status));
        }

        doc.Heading("Sources of the mappings", 2);
        var sources = doc.Table([new("Framework", 2), new("Document", 3.6), new("Version", 1.6), new("Where", 3)]);
        foreach (var f in coverage.Framework is null ? catalog.Frameworks : [coverage.Framework])
            sources.Row(f.Name, f.Source.Document, f.Source.Version, f.Source.Url);
    }
}
