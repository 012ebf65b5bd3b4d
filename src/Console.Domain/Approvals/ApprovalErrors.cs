namespace Warden.Domain.Approvals;

public static class ApprovalErrors
{
    public const string AlreadyDecidedCode = "approval.already_decided";

    public static Error NotFound { get; } = new("approval.not_found", "This approval request does not exist.");

    public static Error ReasonRequired { get; } = new("approval.reason_required", "Give a reason for your decision; it is kept in the audit log.");

    public static Error ReasonTooLong { get; } = new("approval.reason_too_long", $"A reason has at most {ApprovalRequest.MaxReasonLength} characters.");

    /// <param name="who">Who may decide, in words ("security officers who are also administrators").</param>
    public static Error NotEligible(string who) => new("approval.not_eligible", $"Only {who} decide this request, and you are not one of them.");

    public static Error VoterDisabled { get; } = new("approval.voter_disabled", "Your account is disabled; you cannot vote.");

    public static Error OwnerCannotVote { get; } = new("approval.owner_cannot_vote", "You own this agent, so you cannot decide its requests; another officer must.");

    public static Error BackupOwnerCannotVote { get; } = new("approval.backup_owner_cannot_vote", "You are this agent's backup owner, so you cannot decide its requests; another officer must.");

    public static Error AlreadyVoted { get; } = new("approval.already_voted", "You have already approved this request; a second approval must come from another officer.");

    public static Error SamePerson(string name) => new("approval.same_person",
        $"{name} has already voted from an account with the same e-mail address; one person has one vote.");

    public static Error AlreadyDecided(string message) => new(AlreadyDecidedCode, message);

    public static Error AgentNotActive { get; } = new("approval.agent_not_active",
        "The agent is contained or not active; its actions cannot be approved now (they can be denied).");

    public static Error Busy { get; } = new("approval.busy", "The request is changing too quickly right now; try again.");

    public static Error NotPending { get; } = new("approval.not_pending", "Only a pending request can change.");
}
