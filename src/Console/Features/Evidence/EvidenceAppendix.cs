using System.Security.Cryptography;
using Warden.Features.Evidence.Rendering;

namespace Warden.Features.Evidence;

/// <summary>
/// One volume of a pack's appendix being written: a PDF of its own, with the pack id in every footer.
/// <see cref="Finish"/> saves it, hashes it and releases its pages.
/// </summary>
internal sealed class AppendixVolume
{
    private static readonly EvidenceColumn[] Columns =
    [
        // Widths in points of the A4 text block, so that a typical row fits on one line.
        new("Seq", 35, Mono: true), new("Time (UTC)", 87, Mono: true), new("Actor", 107), new("Kind", 116), new("Subject", 104), new("Outcome", 50),
    ];

    private readonly IEvidenceDocument _doc;
    private readonly IEvidenceTable _table;
    private readonly string _path;
    private readonly int _number;
    private long _first;
    private long _last;

    public AppendixVolume(IEvidenceRenderer renderer, EvidencePackSpec spec, string scopeLabel, int number, int of, string path)
    {
        _number = number;
        _path = path;
        var part = $"appendix volume {number} of {of}";
        _doc = renderer.Create(new EvidenceDocumentInfo(spec.PackId, $"{spec.Title}: {part}", scopeLabel, spec.GeneratedAt) { Part = part });
        _doc.Heading($"{EvidenceSections.Titles[^1]}, volume {number} of {of}");
        _doc.Paragraph($"Evidence pack {spec.PackId} ({scopeLabel}, {EvidenceText.Time(spec.PeriodStart)} to {EvidenceText.Time(spec.PeriodEnd)}). " +
                       "Audit events of the period within the pack's scope, in sequence order; personal data is masked. The pack's PDF lists " +
                       "every volume with its range and SHA-256, and the signed manifest.json vouches for each.");
        _table = _doc.Table(Columns);
    }

    public long Events { get; private set; }

    public void Row(long sequence, string time, string actor, string kind, string subject, string outcome)
    {
        if (Events == 0)
            _first = sequence;
        _last = sequence;
        Events++;
        _table.Row(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), time, actor, kind, subject, outcome);
    }

    public EvidenceManifestArtifact Finish()
    {
        using (_doc)
        {
            using var file = new FileStream(_path, FileMode.Create, FileAccess.ReadWrite);
            _doc.Save(file, []);
        }
        using var saved = File.OpenRead(_path);
        return new EvidenceManifestArtifact(Path.GetFileName(_path), Convert.ToHexStringLower(SHA256.HashData(saved)), saved.Length)
        {
            Appendix = new EvidenceManifestVolume(_number, _first, _last, Events),
        };
    }
}

/// <summary>
/// Actor names, ids and subjects are not masked when an event is written (only its data is), so the
/// pack masks them; they repeat from event to event, so each distinct value is masked once per pack.
/// The cache is bounded: past <see cref="Capacity"/> values the rest are masked every time.
/// </summary>
internal sealed class MaskedNames(Warden.Features.Guardrails.Masking masking)
{
    public const int Capacity = 4096;

    private readonly Dictionary<string, string> _masked = new(StringComparer.Ordinal);

    public string Of(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text ?? string.Empty;
        if (_masked.TryGetValue(text, out var masked))
            return masked;
        masked = masking.Text(text);
        if (_masked.Count < Capacity)
            _masked[text] = masked;
        return masked;
    }
}
