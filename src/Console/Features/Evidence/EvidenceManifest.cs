using System.Text.Json;
using System.Text.Json.Serialization;

namespace Warden.Features.Evidence;

/// <summary>
/// What a pack claims about itself. The sidecar manifest.json lists every artifact with its SHA-256 and
/// is signed (manifest.sig); the copy embedded in the PDF lists the other artifacts only, because a
/// file cannot contain its own hash.
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
    public const string CurrentFormat = "warden-evidence-pack-v1";

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

public sealed record EvidenceManifestArtifact(string Name, string Sha256, long Bytes);

/// <summary>The files of a pack folder.</summary>
public static class EvidenceFiles
{
    public const string Pdf = "evidence.pdf";
    public const string Export = "audit-events.jsonl.gz";
    public const string Manifest = "manifest.json";
    public const string Signature = "manifest.sig";
    public const string PublicKey = "public-key.pem";

    public static readonly IReadOnlyList<string> All = [Pdf, Export, Manifest, Signature, PublicKey];

    /// <summary>The pack-folder name of a file as it downloads (evp_…-manifest.json is manifest.json); null for other files.</summary>
    public static string? CanonicalName(string fileName)
    {
        var name = Path.GetFileName(fileName);
        if (All.Contains(name, StringComparer.Ordinal))
            return name;
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
}
