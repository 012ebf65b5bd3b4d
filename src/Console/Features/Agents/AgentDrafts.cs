using Warden.Domain;
using Warden.Domain.Agents;

namespace Warden.Features.Agents;

internal static class AgentDrafts
{
    /// <summary>Turns form or import input into a domain profile; scope patterns are checked here.</summary>
    public static Result<AgentProfile> ToProfile(AgentDraft draft)
    {
        var scopes = new List<ResourceScope>();
        foreach (var pattern in draft.Scopes.Where(s => !string.IsNullOrWhiteSpace(s)))
        {
            var scope = ResourceScope.Create(pattern);
            if (scope.IsFailure)
                return scope.Error;
            scopes.Add(scope.Value);
        }
        var tools = draft.Tools
            .Select(t => new ToolDeclaration(
                t.Name?.Trim() ?? string.Empty,
                t.Operations.Distinct().Order().ToList(),
                t.Risk,
                string.IsNullOrWhiteSpace(t.ParameterSchema) ? null : t.ParameterSchema))
            .ToList();
        var caps = new ImpactCaps(
            draft.MaxRecordsPerAction,
            draft.MaxAmountPerAction,
            draft.DailyRecordBudget,
            draft.DailyAmountBudget,
            string.IsNullOrWhiteSpace(draft.Currency) ? null : draft.Currency.Trim().ToUpperInvariant());
        var profile = new AgentProfile(draft.Name, draft.Purpose, draft.Segment, draft.Tags, tools, scopes, draft.RateLimitPerMinute, caps)
            .Normalized();
        var valid = profile.Validate();
        return valid.IsSuccess ? profile : valid.Error;
    }

    public static AgentDraft FromProfile(AgentProfile profile, string? backupOwnerId) => new()
    {
        Name = profile.Name,
        Purpose = profile.Purpose,
        Segment = profile.Segment,
        Tags = profile.Tags,
        Tools = profile.Tools.Select(t => new ToolDraft(t.Name, t.Operations, t.Risk, t.ParameterSchema)).ToList(),
        Scopes = profile.Scopes.Select(s => s.Pattern).ToList(),
        RateLimitPerMinute = profile.RateLimitPerMinute,
        MaxRecordsPerAction = profile.Caps.MaxRecordsPerAction,
        MaxAmountPerAction = profile.Caps.MaxAmountPerAction,
        DailyRecordBudget = profile.Caps.DailyRecordBudget,
        DailyAmountBudget = profile.Caps.DailyAmountBudget,
        Currency = profile.Caps.Currency,
        BackupOwnerId = backupOwnerId,
    };

    /// <summary>
    /// An owner may not grant a scope that names no resource (<c>**</c>, <c>*</c>, <c>*/**</c>, <c>/**</c>, …);
    /// one an officer granted earlier may stay.
    /// </summary>
    public static Result RefuseMatchEverything(AgentDraft draft, IReadOnlyList<ResourceScope> already)
    {
        foreach (var pattern in draft.Scopes.Where(s => !string.IsNullOrWhiteSpace(s)))
        {
            if (ResourceScope.MatchesEverything(pattern) && !already.Any(s => s.Pattern == pattern.Trim()))
                return AgentErrors.MatchesEverything(pattern.Trim());
        }
        return Result.Success();
    }

    public static AgentDraft FromDetails(AgentDetails details) => new()
    {
        Name = details.Summary.Name,
        Purpose = details.Purpose,
        Segment = details.Summary.Segment,
        Tags = details.Summary.Tags,
        Tools = details.Tools.Select(t => new ToolDraft(t.Name, t.Operations, t.Risk, t.ParameterSchema)).ToList(),
        Scopes = details.Scopes,
        RateLimitPerMinute = details.RateLimitPerMinute,
        MaxRecordsPerAction = details.Caps.MaxRecordsPerAction,
        MaxAmountPerAction = details.Caps.MaxAmountPerAction,
        DailyRecordBudget = details.Caps.DailyRecordBudget,
        DailyAmountBudget = details.Caps.DailyAmountBudget,
        Currency = details.Caps.Currency,
        OwnerId = details.Summary.Owner.Id,
        BackupOwnerId = details.Summary.BackupOwner?.Id,
    };
}
