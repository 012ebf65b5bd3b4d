using Warden.Domain.People;

namespace Warden.Domain.Agents;

public enum ChangeRequestState
{
    Pending,
    Approved,
    Rejected,
    Superseded,
}

/// <summary>
/// An owner's change that widens an agent, waiting for an officer who is not the owner. The whole
/// change waits; it applies only if the agent still has the profile the change was made against.
/// The proposal itself is opaque to the domain (the application stores and applies it).
/// </summary>
public sealed class AgentChangeRequest
{
    public const int MaxReasonLength = 1000;

    private AgentChangeRequest()
    {
    }

    public string Id { get; private set; } = string.Empty;
    public AgentId AgentId { get; private set; }
    public UserId RequestedBy { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public string BaseProfile { get; private set; } = string.Empty;
    public string ProposedProfile { get; private set; } = string.Empty;
    public int BaseTokenLifetimeMinutes { get; private set; }
    public int ProposedTokenLifetimeMinutes { get; private set; }
    public string Widenings { get; private set; } = string.Empty;
    public ChangeRequestState State { get; private set; }
    public UserId? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DecisionReason { get; private set; }

    public static AgentChangeRequest Open(
        AgentId agent, UserId requestedBy, string baseProfile, string proposedProfile,
        int baseTokenLifetimeMinutes, int proposedTokenLifetimeMinutes, string widenings, DateTimeOffset now) => new()
    {
        Id = "acr_" + Guid.CreateVersion7(now).ToString("N"),
        AgentId = agent,
        RequestedBy = requestedBy,
        RequestedAt = now,
        BaseProfile = baseProfile,
        ProposedProfile = proposedProfile,
        BaseTokenLifetimeMinutes = baseTokenLifetimeMinutes,
        ProposedTokenLifetimeMinutes = proposedTokenLifetimeMinutes,
        Widenings = widenings,
        State = ChangeRequestState.Pending,
    };

    /// <param name="agentOwner">Who owns the agent now: separation of duties holds for the person, whatever roles they hold.</param>
    public Result Approve(UserId officer, UserId agentOwner, DateTimeOffset now)
    {
        var decidable = CheckDecider(officer, agentOwner);
        if (decidable.IsFailure)
            return decidable;
        Decide(ChangeRequestState.Approved, officer, null, now);
        return Result.Success();
    }

    public Result Reject(UserId officer, UserId agentOwner, string reason, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(reason))
            return AgentChangeRequestErrors.ReasonRequired;
        if (reason.Trim().Length > MaxReasonLength)
            return AgentChangeRequestErrors.ReasonTooLong;
        var decidable = CheckDecider(officer, agentOwner);
        if (decidable.IsFailure)
            return decidable;
        Decide(ChangeRequestState.Rejected, officer, reason.Trim(), now);
        return Result.Success();
    }

    /// <summary>A later change by the owner, or a change to the agent since, replaces this request.</summary>
    public Result Supersede(string why, DateTimeOffset now)
    {
        if (State != ChangeRequestState.Pending)
            return AgentChangeRequestErrors.NotPending(State);
        Decide(ChangeRequestState.Superseded, null, why, now);
        return Result.Success();
    }

    private Result CheckDecider(UserId officer, UserId agentOwner)
    {
        if (State != ChangeRequestState.Pending)
            return AgentChangeRequestErrors.NotPending(State);
        if (officer == agentOwner || officer == RequestedBy)
            return AgentChangeRequestErrors.OwnChange;
        return Result.Success();
    }

    private void Decide(ChangeRequestState state, UserId? by, string? reason, DateTimeOffset now)
    {
        State = state;
        DecidedBy = by;
        DecidedAt = now;
        DecisionReason = reason;
    }
}

public static class AgentChangeRequestErrors
{
    public static readonly Error OwnChange =
        new("agent_change.own_change", "You own this agent or asked for this change, so another officer must decide it.");

    public static readonly Error ReasonRequired = new("agent_change.reason_required", "Say why the change is rejected; the owner reads it.");

    public static readonly Error ReasonTooLong =
        new("agent_change.reason_too_long", $"A reason has at most {AgentChangeRequest.MaxReasonLength} characters.");

    public static readonly Error AgentChangedSince =
        new("agent_change.agent_changed", "The agent changed after this request was made, so the request no longer applies; the owner can ask again.");

    public static Error NotPending(ChangeRequestState state) =>
        new("agent_change.not_pending", $"The change request is already {state.ToString().ToLowerInvariant()}.");

    public static Error NotFound(string id) => new("agent_change.not_found", $"No change request '{id}' that you can see.");
}
