using Hangfire;
using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Audit;
using Warden.Domain.People;
using Warden.Features.AuditLog;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Evidence;

/// <summary>
/// Evidence packs for people: the list, on-demand generation, retries and downloads. Every download
/// is checked against the pack's recipients and scope and recorded in the audit log.
/// </summary>
public sealed class EvidenceService(
    AccessGuard access,
    IDbContextFactory<WardenDbContext> contexts,
    EvidenceStore store,
    EvidenceProgress progress,
    AuditWriter audit,
    IBackgroundJobClient jobs,
    Warden.Features.Compliance.ComplianceCatalog compliance,
    TimeProvider clock)
{
    public async Task<Result<IReadOnlyList<EvidencePackRow>>> GetPacksAsync(CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireAsync(EvidenceAccess.Readers);
        if (actor.IsFailure)
            return actor.Error;
        await using var db = contexts.CreateDbContext();
        var packs = await db.EvidencePacks.AsNoTracking().OrderByDescending(p => p.RequestedAt).Take(200).ToListAsync(cancellationToken);
        var visible = new List<EvidencePackRow>(packs.Count);
        foreach (var pack in packs)
        {
            if (await MayDownloadAsync(db, actor.Value, pack, cancellationToken) == Error.None)
                visible.Add(Row(pack));
        }
        var volumes = await store.VolumesAsync([.. visible.Where(p => p.Status == EvidencePackStatus.Completed).Select(p => p.Id)], cancellationToken);
        return visible.ConvertAll(p => volumes.Contains(p.Id) ? p with { Volumes = [.. volumes[p.Id]] } : p);
    }

    public async Task<Result<EvidencePackRow>> GenerateAsync(EvidenceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var actor = await access.RequireToActAsync(EvidenceAccess.Generators);
        if (actor.IsFailure)
            return actor.Error;
        var now = clock.GetUtcNow();
        // A range reaching into the future ends now: a pack never claims records that did not exist yet.
        var end = request.End > now ? AuditChain.Normalize(now) : request.End;
        if (end <= request.Start || end - request.Start > TimeSpan.FromDays(366))
            return EvidenceErrors.InvalidRange;
        if (request.Scope != EvidenceScope.Everything && string.IsNullOrWhiteSpace(request.ScopeTarget))
            return EvidenceErrors.Invalid([$"Scope: name the {request.Scope.ToString().ToLowerInvariant()} the pack covers."]);

        string[] recipients = request.Scope is EvidenceScope.Owner or EvidenceScope.Agent
            ? [.. EvidenceAccess.DefaultRecipients, Roles.AgentOwner]
            : EvidenceAccess.DefaultRecipients;
        var framework = string.IsNullOrWhiteSpace(request.Framework) ? null : compliance.Framework(request.Framework.Trim());
        if (framework is null && !string.IsNullOrWhiteSpace(request.Framework))
            return EvidenceErrors.Invalid([$"Framework: '{request.Framework}' is not one of {string.Join(", ", compliance.Frameworks.Select(f => f.Id))}."]);
        var spec = EvidencePeriods.Spec(null, framework is null ? "Evidence pack" : $"Evidence pack for {framework.Name}", request.Scope, request.ScopeTarget?.Trim(),
            request.Start, end, recipients, now, framework?.Id);
        await using var db = contexts.CreateDbContext();
        var existing = await db.EvidencePacks.AsNoTracking().SingleOrDefaultAsync(p => p.Key == spec.Key, cancellationToken);
        if (existing is not null)
            return Row(existing);

        var pack = EvidencePack.Request(spec, actor.Value.Email, now, retentionDays: null);
        db.EvidencePacks.Add(pack);
        await audit.AppendAsync(db, [AuditEntry.Of(Audited(actor.Value), "evidence.requested", pack.Id, new
        {
            scope = request.Scope.ToString(), target = request.ScopeTarget, start = request.Start, end, framework = framework?.Id,
        })], cancellationToken);
        jobs.Enqueue<EvidencePackJob>(job => job.RunAsync(pack.Id, CancellationToken.None));
        return Row(pack);
    }

    public async Task<Result> RetryAsync(string packId, CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireToActAsync(EvidenceAccess.Generators);
        if (actor.IsFailure)
            return actor.Error;
        await using var db = contexts.CreateDbContext();
        var pack = await db.EvidencePacks.SingleOrDefaultAsync(p => p.Id == packId, cancellationToken);
        if (pack is null)
            return EvidenceErrors.PackNotFound(packId);
        if (!pack.CanRetry)
            return EvidenceErrors.NotRetryable;
        pack.Requeue();
        await audit.AppendAsync(db, [AuditEntry.Of(Audited(actor.Value), "evidence.retried", pack.Id, new { title = pack.Title })], cancellationToken);
        jobs.Enqueue<EvidencePackJob>(job => job.RunAsync(pack.Id, CancellationToken.None));
        return Result.Success();
    }

    /// <summary>Checks who may have the file, records the download, and says where the file is.</summary>
    public Task<Result<EvidenceDownload>> DownloadAsync(string packId, EvidenceArtifact artifact, CancellationToken cancellationToken = default) =>
        artifact switch
        {
            EvidenceArtifact.Pdf => DownloadFileAsync(packId, EvidenceFiles.Pdf, "application/pdf", $"{packId}.pdf", "pdf", cancellationToken),
            EvidenceArtifact.Export => DownloadFileAsync(packId, EvidenceFiles.Export, "application/gzip", $"{packId}-audit-events.jsonl.gz", "export", cancellationToken),
            EvidenceArtifact.Manifest => DownloadFileAsync(packId, EvidenceFiles.Manifest, "application/json", $"{packId}-manifest.json", "manifest", cancellationToken),
            EvidenceArtifact.Signature => DownloadFileAsync(packId, EvidenceFiles.Signature, "text/plain", $"{packId}-manifest.sig", "signature", cancellationToken),
            _ => RefusedAsync(EvidenceErrors.UnknownArtifact(artifact.ToString())),
        };

    /// <summary>One volume of the pack's appendix (numbered from 1), checked and recorded like every other download.</summary>
    public Task<Result<EvidenceDownload>> DownloadVolumeAsync(string packId, int volume, CancellationToken cancellationToken = default) =>
        volume < 1
            ? RefusedAsync(EvidenceErrors.UnknownArtifact($"appendix-{volume}"))
            : DownloadFileAsync(packId, EvidenceFiles.Volume(volume), "application/pdf", $"{packId}-{EvidenceFiles.Volume(volume)["evidence-".Length..]}", $"appendix-{volume}", cancellationToken);

    private async Task<Result<EvidenceDownload>> RefusedAsync(Error error)
    {
        var actor = await access.RequireAsync(EvidenceAccess.Readers);
        return actor.IsFailure ? actor.Error : error;
    }

    private async Task<Result<EvidenceDownload>> DownloadFileAsync(string packId, string file, string type, string name, string artifact, CancellationToken cancellationToken)
    {
        var actor = await access.RequireAsync(EvidenceAccess.Readers);
        if (actor.IsFailure)
            return actor.Error;
        await using var db = contexts.CreateDbContext();
        var pack = await db.EvidencePacks.AsNoTracking().SingleOrDefaultAsync(p => p.Id == packId, cancellationToken);
        if (pack is null)
            return EvidenceErrors.PackNotFound(packId);
        var refused = await MayDownloadAsync(db, actor.Value, pack, cancellationToken);
        if (refused != Error.None)
            return refused;
        if (pack.Status != EvidencePackStatus.Completed)
            return EvidenceErrors.NotReady(pack.Status);
        if (!await store.ExistsAsync(pack.Id, file, cancellationToken))
            return EvidenceFiles.VolumeNumber(file) is { } volume && await store.ExistsAsync(pack.Id, EvidenceFiles.Manifest, cancellationToken)
                ? EvidenceErrors.NoSuchVolume(pack.Id, volume)
                : EvidenceErrors.FilesMissing(pack.Id);
        await audit.AppendAsync(db, [AuditEntry.Of(Audited(actor.Value), "evidence.downloaded", pack.Id, new { artifact, title = pack.Title })], cancellationToken);
        return new EvidenceDownload((target, ct) => store.WriteToAsync(pack.Id, file, target, ct), type, name);
    }

    internal EvidencePackRow Row(EvidencePack p) => new(
        p.Id, p.Title, p.DefinitionId, p.Scope, p.ScopeTarget, p.PeriodStart, p.PeriodEnd, p.Status, progress.Of(p.Id), p.PdfBytes, p.ExportBytes,
        p.AssemblyMilliseconds, p.Completeness, p.CompletenessNotes, p.EventCount, p.Error, p.RequestedBy, p.RequestedAt, p.CompletedAt, p.PdfSha256);

    private static AuditActor Audited(Actor actor) => AuditActor.Person(actor.Id.Value, actor.Email);

    /// <summary>Officers and administrators see every pack; others need their role among the recipients, and owners a pack scoped to their own agents.</summary>
    private static async Task<Error> MayDownloadAsync(WardenDbContext db, Actor actor, EvidencePack pack, CancellationToken cancellationToken)
    {
        if (actor.IsIn(Roles.SecurityOfficer) || actor.IsIn(Roles.Administrator))
            return Error.None;
        if (actor.IsIn(Roles.Auditor) && pack.Recipients.Contains(Roles.Auditor))
            return Error.None;
        if (!actor.IsIn(Roles.AgentOwner) || !pack.Recipients.Contains(Roles.AgentOwner))
            return EvidenceErrors.NotARecipient;
        var own = pack.Scope switch
        {
            EvidenceScope.Owner => pack.ScopeTarget == actor.Id.Value,
            EvidenceScope.Agent => AgentId.TryParse(pack.ScopeTarget, out var agentId)
                && await db.Agents.AnyAsync(a => a.Id == agentId && a.OwnerId == actor.Id, cancellationToken),
            _ => false,
        };
        return own ? Error.None : EvidenceErrors.NotYourScope;
    }
}
