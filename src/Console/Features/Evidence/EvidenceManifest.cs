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
    string Verification);

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
}
