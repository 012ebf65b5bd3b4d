using Warden.Domain;

namespace Warden.Features.Agents;

public enum AgentFormField
{
    None,
    Name,
    Purpose,
    Segment,
    Tags,
    Tools,
    Scopes,
    RateLimit,
    Caps,
    Owner,
}

/// <summary>
/// A refusal from the service, placed next to the field it concerns. A field's message stays until
/// that field's value changes from what was submitted.
/// </summary>
public sealed class AgentFormErrors
{
    private object? _submitted;

    public AgentFormField Field { get; private set; }
    public string? Message { get; private set; }

    /// <summary>Set once the person has tried to submit: list-level messages show from then on.</summary>
    public bool Attempted { get; set; }

    public string? General => Field == AgentFormField.None ? Message : null;

    public void Set(Error error, AgentFormModel model)
    {
        Field = FieldFor(error);
        Message = error.Message;
        _submitted = ValueOf(Field, model);
    }

    public void Clear()
    {
        Field = AgentFormField.None;
        Message = null;
        _submitted = null;
    }

    public string? For(AgentFormField field) => Field == field ? Message : null;

    /// <summary>The service's message for a single-value field while it still holds the submitted value.</summary>
    public string? For(AgentFormField field, object? current)
    {
        if (Field != field)
            return null;
        if (Equals(Normalize(current), _submitted))
            return Message;
        Clear();
        return null;
    }

    public static AgentFormField FieldFor(Error error) => error.Code switch
    {
        "agent.name_required" or "agent.name_too_long" or "agent.name_taken" => AgentFormField.Name,
        "agent.purpose_required" or "agent.purpose_too_long" => AgentFormField.Purpose,
        "agent.invalid_segment" => AgentFormField.Segment,
        "agent.too_many" when error.Message.Contains("tools", StringComparison.Ordinal) => AgentFormField.Tools,
        "agent.too_many" when error.Message.Contains("scopes", StringComparison.Ordinal) => AgentFormField.Scopes,
        "agent.invalid_tag" or "agent.too_many" => AgentFormField.Tags,
        "agent.tools_required" or "agent.invalid_tool_name" or "agent.tool_without_operations" or "agent.invalid_tool_schema"
            or "agent.duplicate_tool" or "agent.invalid_risk" => AgentFormField.Tools,
        "agent.invalid_scope" or "agent.scope_matches_everything" => AgentFormField.Scopes,
        "agent.invalid_rate_limit" => AgentFormField.RateLimit,
        "agent.negative_cap" or "agent.currency_required" or "agent.cap_above_budget" => AgentFormField.Caps,
        "agent.owner_not_eligible" or "agent.backup_is_owner" or "agent.owner_registers_own" => AgentFormField.Owner,
        _ => AgentFormField.None,
    };

    private static object? ValueOf(AgentFormField field, AgentFormModel model) => Normalize(field switch
    {
        AgentFormField.Name => model.Name,
        AgentFormField.Purpose => model.Purpose,
        AgentFormField.Segment => model.Segment,
        AgentFormField.Tags => model.Tags,
        AgentFormField.Scopes => model.Scopes,
        AgentFormField.RateLimit => model.RateLimitPerMinute,
        _ => null,
    });

    private static object? Normalize(object? value) => value is string text ? text.Trim() : value;
}
