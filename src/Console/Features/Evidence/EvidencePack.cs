namespace Warden.Features.Evidence;

/// <summary>
/// One pack: a scope and period, built once. Its key (definition or on-demand scope, and period) is
/// unique, so asking again for the same period finds this pack instead of replacing it.
/// </summary>
public sealed class EvidencePack
{
    public const string IdPrefix = "evp_";

    private EvidencePack()
    {
    }

    public string Id { get; private set; } = string.Empty;
    public string Key { get; private set; } = string.Empty;
    public string? DefinitionId { get; private set; }
    public string Title { get; private set; } = string.Empty;
    public EvidenceScope Scope { get; private set; }
    public string? ScopeTarget { get; private set; }

    /// <summary>The compliance framework the pack is made for (its coverage shows that framework's requirements); null for all controls.</summary>
    public string? Framework { get; private set; }

    public DateTimeOffset PeriodStart { get; private set; }
    public DateTimeOffset PeriodEnd { get; private set; }
    public string RecipientRoles { get; private set; } = string.Empty;
    public EvidencePackStatus Status { get; private set; }
    public string RequestedBy { get; private set; } = string.Empty;
    public DateTimeOffset RequestedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public long AssemblyMilliseconds { get; private set; }
    public long PdfBytes { get; private set; }
    public long ExportBytes { get; private set; }
    public string? PdfSha256 { get; private set; }
    public long EventCount { get; private set; }
    public int Completeness { get; private set; }
    public string? CompletenessNotes { get; private set; }
    public string? Error { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }

    public IReadOnlyList<string> Recipients => RecipientRoles.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static EvidencePack Request(EvidencePackSpec spec, string requestedBy, DateTimeOffset now, int? retentionDays)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new EvidencePack
        {
            Id = spec.PackId,
            Key = spec.Key,
            DefinitionId = spec.DefinitionId,
            Title = spec.Title,
            Scope = spec.Scope,
            ScopeTarget = spec.ScopeTarget,
            Framework = spec.Framework,
            PeriodStart = spec.PeriodStart,
            PeriodEnd = spec.PeriodEnd,
            RecipientRoles = string.Join(',', spec.RecipientRoles),
            Status = EvidencePackStatus.Queued,
            RequestedBy = requestedBy,
            RequestedAt = now,
            ExpiresAt = retentionDays is > 0 ? spec.PeriodEnd.AddDays(retentionDays.Value) : null,
        };
    }

    public EvidencePackSpec Spec => new(Id, Key, DefinitionId, Title, Scope, ScopeTarget, PeriodStart, PeriodEnd, Recipients, RequestedAt) { Framework = Framework };

    public bool CanRetry => Status == EvidencePackStatus.Failed;

    public void Requeue()
    {
        if (Status == EvidencePackStatus.Failed)
        {
            Status = EvidencePackStatus.Queued;
            Error = null;
        }
    }

    public void Complete(EvidenceBuildResult result, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        Status = EvidencePackStatus.Completed;
        CompletedAt = now;
        AssemblyMilliseconds = result.Milliseconds;
        PdfBytes = result.PdfBytes;
        ExportBytes = result.ExportBytes;
        PdfSha256 = result.PdfSha256;
        EventCount = result.EventCount;
        Completeness = result.Completeness.Score;
        CompletenessNotes = result.Completeness.Notes;
        Error = null;
    }

    public void Fail(string error, DateTimeOffset now)
    {
        Status = EvidencePackStatus.Failed;
        CompletedAt = now;
        Error = error.Length > 2000 ? error[..2000] : error;
    }
}

/// <summary>Everything that fixes a pack's content: the same spec over the same records renders the same files.</summary>
public sealed record EvidencePackSpec(
    string PackId,
    string Key,
    string? DefinitionId,
    string Title,
    EvidenceScope Scope,
    string? ScopeTarget,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    IReadOnlyList<string> RecipientRoles,
    DateTimeOffset GeneratedAt)
{
    /// <summary>The compliance framework whose requirements the coverage section shows; null for all of Warden's controls.</summary>
    public string? Framework { get; init; }
}

public sealed record EvidenceCompleteness(int Score, string Notes);

public sealed record EvidenceBuildResult(long Milliseconds, long PdfBytes, long ExportBytes, string PdfSha256, long EventCount, EvidenceCompleteness Completeness);
