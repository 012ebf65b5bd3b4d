using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Domain.Audit;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
using Warden.Features.Compliance;
using Warden.Features.Evidence.Rendering;
using Warden.Features.Policies;
using Warden.Persistence;

namespace Warden.Features.Evidence;

/// <summary>
/// Assembles one pack folder: the audit-event export, the appendix volumes, the PDF, the manifest and
/// its signature. Rows are streamed in keyset batches in two passes over the period (chain check with
/// export, then the appendix volumes, each saved before the next), so memory does not grow with the
/// number of events. Everything written depends only on
/// the spec and the records, so the same spec over the same records gives the same bytes.
/// </summary>
public sealed class EvidencePackBuilder(
    IDbContextFactory<WardenDbContext> contexts,
    IEvidenceRenderer renderer,
    EvidenceSigningKey signingKey,
    AuditCheckpointKey checkpointKey,
    PublishedPolicy policy,
    IOptions<EvidenceOptions> options,
    IOptions<DirectoryOptions> directory,
    Warden.Features.Guardrails.Masking masking,
    IEnumerable<IEvidenceSection> moreSections,
    ComplianceEvaluator compliance)
{
    public async Task<EvidenceBuildResult> BuildAsync(EvidencePackSpec spec, string folder, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var watch = Stopwatch.StartNew();
        Directory.CreateDirectory(folder);
        progress?.Report(2);

        EvidenceScopeContext scope;
        long first, last, inPeriod, sealedAt;
        List<AuditCheckpoint> checkpoints;
        await using (var db = contexts.CreateDbContext())
        {
            scope = await EvidenceScopeContext.LoadAsync(db, spec.Scope, spec.ScopeTarget, masking, cancellationToken);
            var range = db.AuditEvents.AsNoTracking().Where(e => e.At >= spec.PeriodStart && e.At < spec.PeriodEnd);
            first = await range.MinAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
            last = await range.MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
            inPeriod = last == 0 ? 0 : last - first + 1;
            // The walk goes on to the seal that covers the period's last event, so the period is vouched for by a signature.
            sealedAt = last == 0 ? 0 : await db.AuditCheckpoints.AsNoTracking().Where(c => c.Sequence >= last).MinAsync(c => (long?)c.Sequence, cancellationToken) ?? last;
            checkpoints = await db.AuditCheckpoints.AsNoTracking().Where(c => c.Sequence <= sealedAt).ToListAsync(cancellationToken);
        }
        progress?.Report(5);

        var exportPath = Path.Combine(folder, EvidenceFiles.Export);
        var names = new MaskedNames(masking);
        var (verification, inScope, lastHash) = await VerifyAndExportAsync(scope, first, last, sealedAt, checkpoints, exportPath, names, p => progress?.Report(5 + p * 35 / 100), cancellationToken);
        var export = Artifact(exportPath);
        // The chain check's batches are garbage now; the appendix starts from a collected heap.
        GC.Collect();
        var key = new EvidenceManifestKey(EvidenceSigningKey.Algorithm, signingKey.Fingerprint);
        var seal = verification.IsIntact ? checkpoints.Find(c => c.Sequence == sealedAt) : null;
        var chain = new EvidenceManifestChain(first, last, last == 0 ? string.Empty : lastHash, inPeriod, inScope, verification.IsIntact, verification.Reason)
        {
            SignedHeads = seal is null ? [] : [new EvidenceManifestSignedHead(seal.Sequence, seal.Hash, seal.At, seal.Signature)],
        };
        progress?.Report(40);

        var volumes = await WriteAppendixAsync(spec, scope, chain, folder, names, p => progress?.Report(40 + p * 50 / 100), cancellationToken);
        progress?.Report(90);

        var pdfPath = Path.Combine(folder, EvidenceFiles.Pdf);
        EvidenceCompleteness completeness;
        await using (var pdf = new FileStream(pdfPath, FileMode.Create, FileAccess.ReadWrite))
        {
            completeness = await RenderAsync(spec, scope, verification, chain, key, export, volumes, pdf, cancellationToken);
            await pdf.FlushAsync(cancellationToken);
        }
        var pdfArtifact = Artifact(pdfPath);

        var manifest = Manifest(spec, scope, chain, completeness, key, [pdfArtifact, export, .. volumes]);
        var manifestBytes = manifest.ToUtf8();
        await File.WriteAllBytesAsync(Path.Combine(folder, EvidenceFiles.Manifest), manifestBytes, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, EvidenceFiles.Signature), Convert.ToBase64String(signingKey.Sign(manifestBytes)), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, EvidenceFiles.PublicKey), signingKey.PublicKeyPem, cancellationToken);
        progress?.Report(100);
        return new EvidenceBuildResult(watch.ElapsedMilliseconds, pdfArtifact.Bytes, export.Bytes, pdfArtifact.Sha256, inScope, completeness);
    }

    private static EvidenceManifest Manifest(EvidencePackSpec spec, EvidenceScopeContext scope, EvidenceManifestChain chain,
        EvidenceCompleteness completeness, EvidenceManifestKey key, IReadOnlyList<EvidenceManifestArtifact> artifacts) =>
        new(EvidenceManifest.CurrentFormat, spec.PackId, spec.Title, new EvidenceManifestScope(spec.Scope, spec.ScopeTarget, scope.Label),
            new EvidenceManifestPeriod(spec.PeriodStart, spec.PeriodEnd), spec.GeneratedAt, chain,
            new EvidenceManifestCompleteness(completeness.Score, completeness.Notes), key, artifacts);

    private static EvidenceManifestArtifact Artifact(string path)
    {
        using var stream = File.OpenRead(path);
        return new EvidenceManifestArtifact(Path.GetFileName(path), Convert.ToHexStringLower(SHA256.HashData(stream)), stream.Length);
    }

    /// <summary>Walks the chain from its start to the period's end (a period is only as sound as the chain before it) and writes the period's events in scope.</summary>
    private async Task<(AuditVerification Verification, long Exported, string LastHash)> VerifyAndExportAsync(
        EvidenceScopeContext scope, long first, long last, long sealedAt, List<AuditCheckpoint> checkpoints, string path, MaskedNames names, Action<int> progress, CancellationToken cancellationToken)
    {
        var verifier = new AuditChainVerifier(checkpoints, checkpointKey.Signer, AuditSealRules.SealedHead);
        long exported = 0;
        var lastHash = string.Empty;
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        await using (var gzip = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true))
        await using (var buffered = new BufferedStream(gzip, 1 << 16))
        await using (var json = new Utf8JsonWriter(buffered, new JsonWriterOptions { SkipValidation = true }))
        {
            await foreach (var e in EventsAsync(1, sealedAt, cancellationToken))
            {
                verifier.Check(e);
                if (e.Sequence == last)
                    lastHash = e.Hash;
                if (e.Sequence > last)
                    continue;
                if (e.Sequence >= first && scope.Covers(e))
                {
                    WriteLine(json, e, names);
                    await json.FlushAsync(cancellationToken);
                    buffered.WriteByte((byte)'\n');
                    json.Reset();
                    exported++;
                }
                if (e.Sequence % 10_000 == 0 && last > 0)
                    progress((int)(100 * e.Sequence / last));
            }
        }
        return (verifier.Finish(), exported, lastHash);
    }

    private async Task<EvidenceCompleteness> RenderAsync(EvidencePackSpec spec, EvidenceScopeContext scope, AuditVerification verification,
        EvidenceManifestChain chain, EvidenceManifestKey key, EvidenceManifestArtifact export, IReadOnlyList<EvidenceManifestArtifact> volumes,
        Stream output, CancellationToken cancellationToken)
    {
        using var doc = renderer.Create(new EvidenceDocumentInfo(spec.PackId, spec.Title, scope.Label, spec.GeneratedAt));
        var sections = new EvidenceSections(contexts, spec, scope, doc, masking, options.Value.BatchSize);
        // Audit readiness is the coverage of the pack's controls, computed from its records before the cover names it.
        var coverage = await compliance.EvaluateAsync(new ComplianceScope(spec.PeriodStart, spec.PeriodEnd, scope.AgentIds, verification.IsIntact),
            spec.Framework, cancellationToken);
        var completeness = new EvidenceCompleteness(coverage.Score, coverage.Summary);

        EvidenceCover.Write(doc, spec, scope.Label, chain, key, completeness);
        sections.AgentDirectory(directory.Value.AttestationPeriod, out _);
        await sections.PoliciesAsync(policy.Current, cancellationToken);
        var (decisions, denied) = await sections.DecisionsAsync(cancellationToken);
        var latencies = await sections.ApprovalsAsync(cancellationToken);
        var toContain = await sections.ContainmentAsync(cancellationToken);
        await sections.AutonomyAsync(cancellationToken);
        var violations = await sections.ViolationsAsync(cancellationToken);
        await sections.MetricsAsync(decisions, denied, violations, latencies, toContain, cancellationToken);
        sections.ChainVerification(verification, chain.FirstSequence, chain.LastSequence);
        foreach (var section in moreSections.OrderBy(s => s.Order))
            await section.WriteAsync(doc, new EvidenceSectionScope(spec.PeriodStart, spec.PeriodEnd, scope.AgentIds, [.. scope.Agents.Select(a => a.Id)]), cancellationToken);
        EvidenceCoverageSection.Write(doc, EvidenceSections.Titles[^2], coverage, compliance.Catalog);
        sections.AppendixVolumes(chain.EventsInScope, export, volumes);

        var embedded = Manifest(spec, scope, chain, completeness, key, [export, .. volumes]);
        doc.Save(output, [new EvidenceAttachment(EvidenceFiles.Manifest, embedded.ToUtf8())]);
        return completeness;
    }

    /// <summary>
    /// The appendix: every event of the period in scope, in sequence order, as PDF volumes of at most
    /// <see cref="EvidenceOptions.AppendixEventsPerVolume"/> events. Each volume is saved, hashed and
    /// released before the next is started, so no document ever holds more than one volume's pages.
    /// </summary>
    private async Task<List<EvidenceManifestArtifact>> WriteAppendixAsync(EvidencePackSpec spec, EvidenceScopeContext scope, EvidenceManifestChain chain,
        string folder, MaskedNames names, Action<int> progress, CancellationToken cancellationToken)
    {
        var perVolume = options.Value.AppendixEventsPerVolume;
        var count = (int)((chain.EventsInScope + perVolume - 1) / perVolume);
        var volumes = new List<EvidenceManifestArtifact>(count);
        AppendixVolume? volume = null;
        await foreach (var e in EventsAsync(chain.FirstSequence, chain.LastSequence, cancellationToken))
        {
            if (!scope.Covers(e))
                continue;
            volume ??= new AppendixVolume(renderer, spec, scope.Label, volumes.Count + 1, count, Path.Combine(folder, EvidenceFiles.Volume(volumes.Count + 1)));
            volume.Row(e.Sequence, EvidenceText.Time(e.At)[..19],
                e.ActorKind == AuditActorKind.Person ? $"{names.Of(e.ActorName)} (person)" : names.Of(e.ActorName), e.Kind, names.Of(e.Subject), OutcomeOf(e.Data));
            if (volume.Events == perVolume)
            {
                volumes.Add(volume.Finish());
                volume = null;
                // The saved volume's pages are garbage now: collecting them before the next volume grows
                // keeps the peak flat (measured: about 20 MB lower at 1,000,000 events, docs/benchmarks.md).
                GC.Collect();
            }
            if (e.Sequence % 10_000 == 0 && chain.LastSequence > 0)
                progress((int)(100 * (e.Sequence - chain.FirstSequence) / Math.Max(1, chain.EventsInPeriod)));
        }
        if (volume is not null)
            volumes.Add(volume.Finish());
        // The export pass counted the same events: a different count here means the records moved under the build.
        if (volumes.Count != count || volumes.Sum(v => v.Appendix!.Events) != chain.EventsInScope)
            throw new InvalidOperationException($"The appendix lists {volumes.Sum(v => v.Appendix!.Events)} events in {volumes.Count} volumes, but the export has {chain.EventsInScope}; the pack is not written.");
        return volumes;
    }

    private async IAsyncEnumerable<AuditEvent> EventsAsync(long from, long to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (to == 0)
            yield break;
        await using var db = contexts.CreateDbContext();
        var after = from - 1;
        var size = options.Value.BatchSize;
        while (after < to)
        {
            var batch = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence > after && e.Sequence <= to)
                .OrderBy(e => e.Sequence).Take(size).ToListAsync(cancellationToken);
            foreach (var e in batch)
                yield return e;
            if (batch.Count < size)
                yield break;
            after = batch[^1].Sequence;
        }
    }

    private static string OutcomeOf(string data)
    {
        if (!data.Contains("\"outcome\"", StringComparison.Ordinal) && !data.Contains("\"state\"", StringComparison.Ordinal))
            return string.Empty;
        try
        {
            using var json = JsonDocument.Parse(data);
            foreach (var name in (string[])["outcome", "state"])
            {
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                    return value.GetString() ?? string.Empty;
            }
        }
        catch (JsonException)
        {
        }
        return string.Empty;
    }

    /// <summary>
    /// One event per line, PII masked; the hashes stay as recorded so the chain's links can be followed.
    /// The data was masked by the audit writer before it was hashed, so it is written as stored; actor
    /// and subject were not, so they are masked here.
    /// </summary>
    private static void WriteLine(Utf8JsonWriter json, AuditEvent e, MaskedNames names)
    {
        json.WriteStartObject();
        json.WriteNumber("sequence", e.Sequence);
        json.WriteString("at", e.At);
        json.WriteString("actorKind", e.ActorKind.ToString());
        json.WriteString("actorId", e.ActorId is null ? null : names.Of(e.ActorId));
        json.WriteString("actor", names.Of(e.ActorName));
        json.WriteString("kind", e.Kind);
        json.WriteString("subject", names.Of(e.Subject));
        json.WritePropertyName("data");
        json.WriteRawValue(string.IsNullOrEmpty(e.Data) ? "{}" : e.Data, skipInputValidation: true);
        json.WriteString("previousHash", e.PreviousHash);
        json.WriteString("hash", e.Hash);
        json.WriteEndObject();
    }
}
