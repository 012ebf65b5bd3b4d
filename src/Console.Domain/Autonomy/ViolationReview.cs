using Warden.Domain.Agents;
using Warden.Domain.People;

namespace Warden.Domain.Autonomy;

/// <summary>
/// An officer's verdict on one violation: a true positive (the agent really overstepped) or a false
/// positive (the control was wrong), with a note. One verdict per violation; the agent's owner and
/// backup owner never judge their own agent.
/// </summary>
public sealed class ViolationReview
{
    public const int MaxNoteLength = 1000;

    private ViolationReview()
    {
    }

    public string DecisionId { get; private set; } = string.Empty;
    public AgentId AgentId { get; private set; }
    public bool FalsePositive { get; private set; }
    public UserId ReviewedBy { get; private set; }
    public string ReviewedByName { get; private set; } = string.Empty;
    public DateTimeOffset ReviewedAt { get; private set; }
    public string? Note { get; private set; }

    public static Result<ViolationReview> Record(
        string decisionId, Agent agent, bool falsePositive, UserId reviewer, string reviewerName, string? note, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(decisionId);
        ArgumentNullException.ThrowIfNull(agent);
        if (agent.OwnerId == reviewer || agent.BackupOwnerId == reviewer)
            return ViolationErrors.OwnAgent;
        var text = note?.Trim();
        if (falsePositive && string.IsNullOrEmpty(text))
            return ViolationErrors.NoteRequired;
        if (text?.Length > MaxNoteLength)
            return ViolationErrors.NoteTooLong;
        return new ViolationReview
        {
            DecisionId = decisionId,
            AgentId = agent.Id,
            FalsePositive = falsePositive,
            ReviewedBy = reviewer,
            ReviewedByName = reviewerName,
            ReviewedAt = now,
            Note = string.IsNullOrEmpty(text) ? null : text,
        };
    }
}

public static class ViolationErrors
{
    public static Error NotFound { get; } = new("violation.not_found", "There is no such violation.");

    public static Error OwnAgent { get; } = new("violation.own_agent", "You own or back up this agent, so another officer must review its violations.");

    public static Error NoteRequired { get; } = new("violation.note_required", "Say why this was a false positive; tuning starts from the note.");

    public static Error NoteTooLong { get; } = new("violation.note_too_long", $"A note has at most {ViolationReview.MaxNoteLength} characters.");

    public static Error AlreadyReviewed(string by) => new("violation.already_reviewed", $"{by} has already reviewed this violation.");
}
