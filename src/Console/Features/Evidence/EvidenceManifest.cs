using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Warden.Features.Evidence;

/// <summary>
/// What a pack claims about itself. The sidecar manifest.json lists every artifact with its SHA-256 and
/// is signed (manifest.sig); the copy embedded in the PDF lists the other artifacts only, because a
/// file cannot contain its own hash. From format v2 the appendix is a series of PDF volumes, each an
/// artifact with the events it lists (ADR 0023).
/// </summary>
public sealed record EvidenceManifest(
    string Format,
    string PackId,
    string Title,
    EvidenceManifestScope Scope,
    EvidenceManifestPeriod Period,
    DateTimeOffset GeneratedAt,
    EvidenceManifestChain Chain,
    EvidenceManifestCompleteness Completeness,
    EvidenceManifestKey SigningKey,
    IReadOnlyList<EvidenceManifestArtifact> Artifacts)
{
    public const string CurrentFormat = "warden-evidence-pack-v2";

    /// <summary>The format whose appendix is inside the main PDF, before volumes.</summary>
    public const string SingleDocumentFormat = "warden-evidence-pack-v1";

    [JsonIgnore]
    public IReadOnlyList<EvidenceManifestArtifact> Volumes => [.. Artifacts.Where(a => a.Appendix is not null)];

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static EvidenceManifest? Parse(byte[] utf8)
    {
        try
        {
            return JsonSerializer.Deserialize<EvidenceManifest>(utf8, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

public sealed record EvidenceManifestScope(EvidenceScope Kind, string? Target, string Label);

public sealed record EvidenceManifestPeriod(DateTimeOffset Start, DateTimeOffset End);

public sealed record EvidenceManifestChain(
    long FirstSequence,
    long LastSequence,
    string HeadHash,
    long EventsInPeriod,
    long EventsInScope,
    bool Verified,
    string Verification)
{
    /// <summary>
    /// The signed seal that covers the period's last event, as stored when the pack was built. An auditor
    /// holding this pack checks a later chain against it: a chain truncated or replaced since no longer
    /// contains this head (see ADR 0019).
    /// </summary>
    public IReadOnlyList<EvidenceManifestSignedHead> SignedHeads { get; init; } = [];
}

/// <summary>A sealed head of the audit chain: its sequence, hash, time and Warden's signature over them.</summary>
public sealed record EvidenceManifestSignedHead(long Sequence, string Hash, DateTimeOffset At, string Signature);

public sealed record EvidenceManifestCompleteness(int Score, string Notes);

public sealed record EvidenceManifestKey(string Algorithm, string Fingerprint);

public sealed record EvidenceManifestArtifact(string Name, string Sha256, long Bytes)
{
    /// <summary>For an appendix volume: which of the period's events in scope it lists.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EvidenceManifestVolume? Appendix { get; init; }
}

/// <summary>Volume <paramref name="Number"/> of the appendix: <paramref name="Events"/> events, sequences <paramref name="FirstSequence"/> to <paramref name="LastSequence"/>.</summary>
public sealed record EvidenceManifestVolume(int Number, long FirstSequence, long LastSequence, long Events);

/// <summary>The files of a pack folder.</summary>
public static partial class EvidenceFiles
{
    public const string Pdf = "evidence.pdf";
    public const string Export = "audit-events.jsonl.gz";
    public const string Manifest = "manifest.json";
    public const string Signature = "manifest.sig";
    public const string PublicKey = "public-key.pem";

    public static readonly IReadOnlyList<string> All = [Pdf, Export, Manifest, Signature, PublicKey];

    public const string VolumePrefix = "evidence-appendix-";

    /// <summary>The file of appendix volume <paramref name="number"/> (1-based).</summary>
    public static string Volume(int number) => string.Create(CultureInfo.InvariantCulture, $"{VolumePrefix}{number:000}.pdf");

    /// <summary>The volume number a file name stands for (evidence-appendix-007.pdf, or evp_…-appendix-007.pdf as it downloads); null for other files.</summary>
    public static int? VolumeNumber(string fileName)
    {
        var match = VolumeName().Match(Path.GetFileName(fileName));
        return match.Success && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
    }

    /// <summary>Whether <paramref name="name"/> is one of a pack folder's own file names.</summary>
    public static bool IsPackFile(string name) => All.Contains(name, StringComparer.Ordinal) || (VolumeNumber(name) is { } n && Volume(n) == name);

    /// <summary>The pack-folder name of a file as it downloads (evp_…-manifest.json is manifest.json); null for other files.</summary>
    public static string? CanonicalName(string fileName)
    {
        var name = Path.GetFileName(fileName);
        if (All.Contains(name, StringComparer.Ordinal))
            return name;
        if (VolumeNumber(name) is { } volume)
            return Volume(volume);
        if (name.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase))
            return Pdf;
        if (name.EndsWith(".jsonl.gz", StringComparison.OrdinalIgnoreCase))
            return Export;
        if (name.EndsWith("manifest.json", StringComparison.OrdinalIgnoreCase))
            return Manifest;
        if (name.EndsWith("manifest.sig", StringComparison.OrdinalIgnoreCase))
            return Signature;
        return null;
    }

    /// <summary>Where <paramref name="name"/> is in <paramref name="folder"/>: under its own name, or the one file that downloads as it.</summary>
    public static string Locate(string folder, string name)
    {
        var direct = Path.Combine(folder, name);
        if (File.Exists(direct) || !Directory.Exists(folder))
            return direct;
        var candidates = Directory.EnumerateFiles(folder).Where(f => CanonicalName(f) == name).Take(2).ToList();
        return candidates.Count == 1 ? candidates[0] : direct;
    }

    [GeneratedRegex(@"appendix-(\d{1,6})\.pdf$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VolumeName();
}
