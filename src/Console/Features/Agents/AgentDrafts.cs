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
