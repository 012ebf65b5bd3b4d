namespace Warden.Features.Evidence.Rendering;

/// <summary>Evidence documents written with PDFsharp; the fonts are installed before the first one.</summary>
public sealed class PdfEvidenceRenderer(EvidenceFonts fonts) : IEvidenceRenderer
{
    public IEvidenceDocument Create(EvidenceDocumentInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        _ = fonts;
        return new PdfEvidenceDocument(info);
    }
}
