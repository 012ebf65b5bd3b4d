namespace Warden.Features.Evidence.Rendering;

/// <summary>The one seam between evidence packs and the PDF library.</summary>
public interface IEvidenceRenderer
{
    IEvidenceDocument Create(EvidenceDocumentInfo info);
}

/// <param name="CreatedAt">Written into the document's metadata; the same value gives the same bytes.</param>
public sealed record EvidenceDocumentInfo(string PackId, string Title, string Subject, DateTimeOffset CreatedAt)
{
    /// <summary>Which part of the pack the document is (e.g. an appendix volume), in its footer and document id; null for the main document.</summary>
    public string? Part { get; init; }
}

public sealed record EvidenceColumn(string Header, double Width, bool Mono = false);

public sealed record ChartBar(string Label, double Value);

/// <summary>
/// A document written top to bottom: headings (each one an outline entry), text, key facts, tables
/// that continue over pages with their header repeated, and bar charts. Page numbers come at save.
/// </summary>
public interface IEvidenceDocument : IDisposable
{
    void Title(string title, string subtitle);

    /// <summary>Starts a section on a new page, with an outline entry; level 2 starts a sub-section in place.</summary>
    void Heading(string text, int level = 1);

    void Paragraph(string text, bool emphasis = false);

    void Facts(IReadOnlyList<KeyValuePair<string, string>> facts);

    IEvidenceTable Table(IReadOnlyList<EvidenceColumn> columns);

    void BarChart(string caption, IReadOnlyList<ChartBar> bars);

    /// <summary>Stamps "Page X of Y" and the pack id on every page, attaches the files and writes the PDF.</summary>
    void Save(Stream output, IReadOnlyList<EvidenceAttachment> attachments);
}

public interface IEvidenceTable
{
    void Row(params string[] cells);
}

public sealed record EvidenceAttachment(string Name, byte[] Content);
