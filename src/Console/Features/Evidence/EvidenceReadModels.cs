namespace Warden.Features.Evidence;

public sealed record EvidencePackRow(
    string Id,
    string Title,
    string? DefinitionId,
    EvidenceScope Scope,
    string? ScopeTarget,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    EvidencePackStatus Status,
    int? Progress,
    long PdfBytes,
    long ExportBytes,
    long AssemblyMilliseconds,
    int Completeness,
    string? CompletenessNotes,
    long EventCount,
    string? Error,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset? CompletedAt,
    string? PdfSha256)
{
    /// <summary>The numbers of the pack's appendix volumes (none for a pack whose appendix is inside its PDF, or with no events).</summary>
    public IReadOnlyList<int> Volumes { get; init; } = [];
}

public sealed record EvidenceDefinitionRow(
    string Id,
    string Name,
    EvidenceScope Scope,
    string? ScopeTarget,
    EvidencePeriodKind Period,
    DateTimeOffset? CustomStart,
    DateTimeOffset? CustomEnd,
    string Cron,
    string TimeZone,
    IReadOnlyList<string> RecipientRoles,
    int RetentionDays)
{
    public string? Framework { get; init; }

    public EvidenceDefinitionDraft ToDraft() => new(Name, Scope, ScopeTarget, Period, CustomStart, CustomEnd, Cron, TimeZone, RecipientRoles, RetentionDays) { Framework = Framework };
}

/// <summary>An on-demand pack: a scope and a range, built now.</summary>
public sealed record EvidenceRequest(EvidenceScope Scope, string? ScopeTarget, DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>The compliance framework the pack is made for; null for all of Warden's controls.</summary>
    public string? Framework { get; init; }
}

public enum EvidenceArtifact
{
    Pdf,
    Export,
    Manifest,
    Signature,
}

/// <summary>A stored pack file ready to send: <see cref="WriteToAsync"/> streams it from the database.</summary>
public sealed record EvidenceDownload(Func<Stream, CancellationToken, Task> WriteToAsync, string ContentType, string FileName);

/// <summary>An uploaded file of a pack, for the verification page.</summary>
public sealed record EvidenceUpload(string Name, Stream Content);

/// <summary>An agent or owner a pack can cover, chosen by name; the pack is requested with its id.</summary>
public sealed record EvidenceTargetChoice(string Id, string Label);
