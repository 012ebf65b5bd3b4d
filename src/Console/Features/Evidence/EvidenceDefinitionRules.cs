using Cronos;
using Warden.Domain.People;

namespace Warden.Features.Evidence;

/// <summary>What makes a definition usable; every message names the field and says how to fix it.</summary>
public static class EvidenceDefinitionRules
{
    public const int MaxRetentionDays = 3650;

    public static IReadOnlyList<string> Validate(EvidenceDefinitionDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(draft.Name) || draft.Name.Trim().Length > 120)
            errors.Add("Name: give the definition a name of 1 to 120 characters.");
        if (!Enum.IsDefined(draft.Scope))
            errors.Add("Scope: choose everything, an owner, a segment or an agent.");
        else if (draft.Scope != EvidenceScope.Everything && string.IsNullOrWhiteSpace(draft.ScopeTarget))
            errors.Add($"Scope: name the {draft.Scope.ToString().ToLowerInvariant()} the packs cover.");
        if (!Enum.IsDefined(draft.Period))
            errors.Add("Period: choose daily, weekly, monthly, quarterly or custom.");
        if (draft.Period == EvidencePeriodKind.Custom)
        {
            if (draft.CustomStart is null || draft.CustomEnd is null)
                errors.Add("Period: a custom period needs a start and an end.");
            else if (draft.CustomEnd <= draft.CustomStart)
                errors.Add("Period: the custom period must end after it starts.");
            else if (draft.CustomEnd - draft.CustomStart > TimeSpan.FromDays(366))
                errors.Add("Period: a custom period may span at most 366 days.");
        }
        if (string.IsNullOrWhiteSpace(draft.Cron) || !CronExpression.TryParse(draft.Cron.Trim(), CronFormat.Standard, out _))
            errors.Add("Schedule: the cron expression must have five fields (minute hour day-of-month month day-of-week), e.g. \"0 2 * * *\" for 02:00 daily.");
        if (!TryZone(draft.TimeZone, out _))
            errors.Add($"Time zone: '{draft.TimeZone}' is not a known time zone; use an IANA name such as UTC or Europe/Paris.");
        if (draft.RecipientRoles.Count == 0)
            errors.Add("Recipients: choose at least one role that may download the packs.");
        else if (draft.RecipientRoles.FirstOrDefault(r => !Roles.IsKnown(r)) is { } unknown)
            errors.Add($"Recipients: '{unknown}' is not a role.");
        if (draft.RetentionDays is < 1 or > MaxRetentionDays)
            errors.Add($"Retention: keep packs between 1 and {MaxRetentionDays} days.");
        return errors;
    }

    public static bool TryZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
            return false;
        return TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out zone!);
    }
}
