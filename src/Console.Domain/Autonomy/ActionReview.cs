using Warden.Domain.Agents;
using Warden.Domain.People;

namespace Warden.Domain.Autonomy;

/// <summary>
/// The review of an action after it ran (autonomy level 1, or a rule with <c>review: after</c>): opened
/// with the decision that allowed it, then accepted or rejected once, with a note, by the agent's
/// owner, its backup owner or a security officer who neither approved nor requested the action. A
/// rejection makes the action a violation.
/// </summary>
public sealed class ActionReview
{
    public const int MaxNoteLength = 1000;

    private ActionReview()
    {
    }

    public string DecisionId { get; private set; } = string.Empty;
    public AgentId AgentId { get; private set; }
    public DateTimeOffset OpenedAt { get; private set; }
    public ActionReviewState State { get; private set; }
    public UserId? ReviewedBy { get; private set; }
    public string? ReviewedByName { get; private set; }
    public DateTimeOffset? ReviewedAt { get; private set; }
    public string? Note { get; private set; }

    public static ActionReview Open(string decisionId, AgentId agentId, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(decisionId);
        return new ActionReview { DecisionId = decisionId, AgentId = agentId, OpenedAt = now, State = ActionReviewState.Pending };
    }

    public Result Accept(Agent agent, ActionReviewer reviewer, IReadOnlyCollection<UserId> involved, string? note, DateTimeOffset now) =>
        Close(ActionReviewState.Accepted, agent, reviewer, involved, note, now);

    public Result Reject(Agent agent, ActionReviewer reviewer, IReadOnlyCollection<UserId> involved, string? note, DateTimeOffset now) =>
        Close(ActionReviewState.Rejected, agent, reviewer, involved, note, now);

    /// <summary>Why <paramref name="reviewer"/> may not review this action, or null when they may.</summary>
    public Error? Refusal(Agent agent, ActionReviewer reviewer, IReadOnlyCollection<UserId> involved)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(reviewer);
        ArgumentNullException.ThrowIfNull(involved);
        if (State != ActionReviewState.Pending)
            return ActionReviewErrors.AlreadyReviewed(ReviewedByName ?? "someone", State);
        if (agent.Id != AgentId)
            return ActionReviewErrors.NotFound;
        if (!reviewer.IsOfficer && agent.OwnerId != reviewer.Id && agent.BackupOwnerId != reviewer.Id)
            return ActionReviewErrors.NotEligible;
        if (involved.Contains(reviewer.Id))
            return ActionReviewErrors.OwnAction;
        return null;
    }

    private Result Close(ActionReviewState verdict, Agent agent, ActionReviewer reviewer, IReadOnlyCollection<UserId> involved, string? note, DateTimeOffset now)
    {
        if (Refusal(agent, reviewer, involved) is { } refused)
            return refused;
        var text = note?.Trim();
        if (verdict == ActionReviewState.Rejected && string.IsNullOrEmpty(text))
            return ActionReviewErrors.NoteRequired;
        if (text?.Length > MaxNoteLength)
            return ActionReviewErrors.NoteTooLong;
        State = verdict;
        ReviewedBy = reviewer.Id;
        ReviewedByName = reviewer.Name;
        ReviewedAt = now;
        Note = string.IsNullOrEmpty(text) ? null : text;
        return Result.Success();
    }
}

public enum ActionReviewState
{
    Pending,
    Accepted,
    Rejected,
}

/// <summary>The person reviewing: who, by what name the log shows, and whether they are a security officer (who reviews any agent's actions).</summary>
public sealed record ActionReviewer(UserId Id, string Name, bool IsOfficer);

public static class ActionReviewErrors
{
    public static Error NotFound { get; } = new("action_review.not_found", "There is no such action awaiting review that you can see.");

    public static Error NotEligible { get; } = new("action_review.not_eligible",
        "Only the agent's owner, its backup owner or a security officer reviews its actions.");

    public static Error OwnAction { get; } = new("action_review.own_action",
        "You approved or requested this action, so someone else must review it.");

    public static Error ChangedMeanwhile { get; } = new("action_review.changed_meanwhile",
        "The action changed while you reviewed it (its outcome was reported); nothing was saved. Look at it again and review it.");

    public static Error NoteRequired { get; } = new("action_review.note_required", "Say what was wrong with this action; the note goes with the violation.");

    public static Error NoteTooLong { get; } = new("action_review.note_too_long", $"A note has at most {ActionReview.MaxNoteLength} characters.");

    public static Error AlreadyReviewed(string by, ActionReviewState state) => new("action_review.already_reviewed",
        $"{by} has already {(state == ActionReviewState.Rejected ? "rejected" : "accepted")} this action.");
}
