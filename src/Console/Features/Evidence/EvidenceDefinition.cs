namespace Warden.Features.Evidence;

/// <summary>A standing order for packs: which records, which period, when, for whom, kept how long.</summary>
public sealed class EvidenceDefinition
{
    public const string IdPrefix = "evd_";

    private EvidenceDefinition()
    {
    }

    public string Id { get; private set; } = string.Empty;
    public string Name { get; private set; } = string.Empty;
    public EvidenceScope Scope { get; private set; }
    public string? ScopeTarget { get; private set; }
    public string? Framework { get; private set; }
    public EvidencePeriodKind Period { get; private set; }
    public DateTimeOffset? CustomStart { get; private set; }
    public DateTimeOffset? CustomEnd { get; private set; }
    public string Cron { get; private set; } = string.Empty;
    public string TimeZone { get; private set; } = "UTC";
    public string RecipientRoles { get; private set; } = string.Empty;
    public int RetentionDays { get; private set; }
    public string CreatedBy { get; private set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public string RecurringJobId => "evidence-" + Id;

    public IReadOnlyList<string> Recipients => RecipientRoles.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static EvidenceDefinition Create(string id, EvidenceDefinitionDraft draft, string createdBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var definition = new EvidenceDefinition { Id = id, CreatedBy = createdBy, CreatedAt = now };
        definition.Apply(draft, now);
        return definition;
    }

    public void Apply(EvidenceDefinitionDraft draft, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(draft);
        Name = draft.Name.Trim();
        Scope = draft.Scope;
        ScopeTarget = draft.Scope == EvidenceScope.Everything ? null : draft.ScopeTarget?.Trim();
        Framework = string.IsNullOrWhiteSpace(draft.Framework) ? null : draft.Framework.Trim();
        Period = draft.Period;
        CustomStart = draft.Period == EvidencePeriodKind.Custom ? draft.CustomStart : null;
        CustomEnd = draft.Period == EvidencePeriodKind.Custom ? draft.CustomEnd : null;
        Cron = draft.Cron.Trim();
        TimeZone = draft.TimeZone.Trim();
        RecipientRoles = string.Join(',', draft.RecipientRoles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        RetentionDays = draft.RetentionDays;
        UpdatedAt = now;
    }
}

/// <summary>What an officer fills in; <see cref="EvidenceDefinitionRules"/> says what is wrong with it.</summary>
public sealed record EvidenceDefinitionDraft(
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
    /// <summary>The compliance framework the packs are made for; null for all of Warden's controls.</summary>
    public string? Framework { get; init; }
}
