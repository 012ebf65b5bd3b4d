using Warden.Domain.Agents;
using Warden.Domain.Approvals;
using Warden.Domain.People;

namespace Warden.Domain.Autonomy;

/// <summary>
/// An owner's request to raise an agent by one autonomy level, with the criteria as they were
/// measured when it was made. An officer who neither owns nor backs up the agent approves (which
/// raises the agent's level in the same step) or rejects it, with a reason; unanswered, it expires.
/// Once decided, nothing changes it again.
/// </summary>
public sealed class PromotionRequest
{
    public const string IdPrefix = "prm_";
    public const int MaxTextLength = 2000;

    private PromotionRequest()
    {
    }

    public string Id { get; private set; } = string.Empty;
    public AgentId AgentId { get; private set; }
    public int FromLevel { get; private set; }
    public int ToLevel { get; private set; }
    public UserId RequestedBy { get; private set; }
    public string RequestedByName { get; private set; } = string.Empty;
    public DateTimeOffset RequestedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public IReadOnlyList<CriterionResult> Criteria { get; private set; } = [];
    public bool CriteriaMet { get; private set; }
    public string? Justification { get; private set; }
    public PromotionState State { get; private set; }
    public UserId? DecidedBy { get; private set; }
    public string? DecidedByName { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DecisionReason { get; private set; }

    public bool IsOpen => State == PromotionState.Open;

    public static Result<PromotionRequest> Submit(
        string id, Agent agent, UserId requestedBy, string requestedByName, IReadOnlyList<CriterionResult> criteria,
        string? justification, DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(criteria);
        if (lifetime <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(lifetime), "A request must expire after it opens.");
        if (agent.OwnerId != requestedBy)
            return PromotionErrors.NotOwner;
        if (agent.Status != AgentStatus.Active)
            return PromotionErrors.AgentNotActive;
        if (agent.AutonomyLevel >= Agent.MaxAutonomyLevel)
            return PromotionErrors.AtTopLevel;
        var text = justification?.Trim();
        var met = criteria.All(c => c.Passed);
        if (!met && string.IsNullOrEmpty(text))
            return PromotionErrors.JustificationRequired;
        if (text?.Length > MaxTextLength)
            return PromotionErrors.JustificationTooLong;
        return new PromotionRequest
        {
            Id = id,
            AgentId = agent.Id,
            FromLevel = agent.AutonomyLevel,
            ToLevel = agent.AutonomyLevel + 1,
            RequestedBy = requestedBy,
            RequestedByName = requestedByName,
            RequestedAt = now,
            ExpiresAt = now + lifetime,
            Criteria = [.. criteria],
            CriteriaMet = met,
            Justification = string.IsNullOrEmpty(text) ? null : text,
            State = PromotionState.Open,
        };
    }

    /// <summary>Approves the request and raises <paramref name="agent"/> to the requested level; refuses and changes neither otherwise.</summary>
    public Result Approve(PromotionDecider decider, string? reason, Agent agent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (WhyCannotDecide(decider, reason, now) is { } refused)
            return refused;
        if (agent.Id != AgentId)
            return PromotionErrors.WrongAgent;
        if (agent.AutonomyLevel != FromLevel)
            return PromotionErrors.LevelChanged;
        if (agent.Status != AgentStatus.Active)
            return PromotionErrors.AgentNotActive;
        var raised = agent.ChangeAutonomyLevel(ToLevel, now);
        if (raised.IsFailure)
            return raised;
        Finish(PromotionState.Approved, decider, reason!.Trim(), now);
        return Result.Success();
    }

    public Result Reject(PromotionDecider decider, string? reason, DateTimeOffset now)
    {
        if (WhyCannotDecide(decider, reason, now) is { } refused)
            return refused;
        Finish(PromotionState.Rejected, decider, reason!.Trim(), now);
        return Result.Success();
    }

    /// <summary>Ends an open request whose deadline has passed. Returns whether it changed.</summary>
    public bool ExpireIfDue(DateTimeOffset now)
    {
        if (!IsOpen || now < ExpiresAt)
            return false;
        State = PromotionState.Expired;
        DecidedAt = now;
        DecisionReason = "No officer decided before the deadline.";
        return true;
    }

    /// <summary>Withdraws an open request, for example because the agent was demoted meanwhile.</summary>
    public bool Withdraw(string reason, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (!IsOpen)
            return false;
        State = PromotionState.Withdrawn;
        DecidedAt = now;
        DecisionReason = reason.Trim();
        return true;
    }

    private Error? WhyCannotDecide(PromotionDecider decider, string? reason, DateTimeOffset now)
    {
        if (WhyCannotDecide(decider, now) is { } refused)
            return refused;
        var text = reason?.Trim();
        if (string.IsNullOrEmpty(text))
            return PromotionErrors.ReasonRequired;
        return text.Length > MaxTextLength ? PromotionErrors.ReasonTooLong : null;
    }

    /// <summary>Why <paramref name="decider"/> cannot decide now, or null when they can (a reason is still needed).</summary>
    public Error? WhyCannotDecide(PromotionDecider decider, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(decider);
        if (!IsOpen)
            return PromotionErrors.AlreadyDecided(State, DecidedByName);
        if (now >= ExpiresAt)
            return PromotionErrors.Expired;
        if (!decider.Roles.Contains(People.Roles.SecurityOfficer))
            return PromotionErrors.NotOfficer;
        var mailbox = Voter.Mailbox(decider.Email);
        if (decider.Id == RequestedBy || Same(decider.OwnerEmail, mailbox))
            return PromotionErrors.OwnerCannotDecide;
        return Same(decider.BackupOwnerEmail, mailbox) ? PromotionErrors.BackupOwnerCannotDecide : null;
    }

    private static bool Same(string? email, string mailbox) => email is not null && Voter.Mailbox(email) == mailbox;

    private void Finish(PromotionState state, PromotionDecider decider, string reason, DateTimeOffset now)
    {
        State = state;
        DecidedBy = decider.Id;
        DecidedByName = decider.Name;
        DecidedAt = now;
        DecisionReason = reason;
    }
}
