using Warden.Domain.People;

namespace Warden.Domain.Approvals;

/// <summary>One officer's vote on one request: who, which way, why, and when.</summary>
public sealed class ApprovalVote
{
    private ApprovalVote()
    {
    }

    internal ApprovalVote(Voter voter, Verdict verdict, string reason, DateTimeOffset castAt, string? previewDigest = null)
    {
        PreviewDigest = previewDigest;
        VoterId = voter.Id;
        VoterMailbox = Voter.Mailbox(voter.Email);
        VoterName = voter.Name;
        Verdict = verdict;
        Reason = reason;
        CastAt = castAt;
    }

    public UserId VoterId { get; private set; }
    public string VoterMailbox { get; private set; } = string.Empty;
    public string VoterName { get; private set; } = string.Empty;
    public Verdict Verdict { get; private set; }
    public string Reason { get; private set; } = string.Empty;
    public DateTimeOffset CastAt { get; private set; }
    /// <summary>The digest of the preview the vote was cast on; null when the action had none.</summary>
    public string? PreviewDigest { get; private set; }
    /// <summary>When a change of the preview voided this vote; null while it counts.</summary>
    public DateTimeOffset? VoidedAt { get; private set; }

    internal void Void(DateTimeOffset now) => VoidedAt ??= now;
}
