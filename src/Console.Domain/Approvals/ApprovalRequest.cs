using Warden.Domain.Agents;
using Warden.Domain.People;
using Warden.Domain.Previews;

namespace Warden.Domain.Approvals;

/// <summary>
/// An action that policy held back, waiting for people. Opened by a pending decision; approved once
/// the required number of distinct eligible officers approve, denied by any one deny, expired when
/// its deadline passes (the agent then gets <c>expired</c>, never an allow), cancelled when its agent
/// is contained. Once final, nothing changes it again.
/// </summary>
public sealed class ApprovalRequest
{
    public const string IdPrefix = "apr_";
    public const int MaxReasonLength = 1000;

    public static readonly IReadOnlyList<string> DefaultEligibleRoles = [Roles.SecurityOfficer];

    private readonly List<ApprovalVote> _votes = [];

    private ApprovalRequest()
    {
    }

    public string Id { get; private set; } = string.Empty;
    public string DecisionId { get; private set; } = string.Empty;
    public string AgentId { get; private set; } = string.Empty;
    public UserId OwnerId { get; private set; }
    public UserId? BackupOwnerId { get; private set; }
    public int RequiredApprovals { get; private set; }
    /// <summary>
    /// Who may decide besides the separation-of-duties rules: a security officer holding any one of
    /// these roles (the policy rule's <c>role</c>; security officers when it names none).
    /// </summary>
    public IReadOnlyList<string> EligibleRoles { get; private set; } = DefaultEligibleRoles;
    public RiskTier RiskTier { get; private set; }
    public string? RuleId { get; private set; }
    public DateTimeOffset OpenedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? EscalatedAt { get; private set; }
    public ApprovalState State { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }
    public string? ResolutionReason { get; private set; }
    /// <summary>
    /// The digest of the preview the request stands on (null when the action has none): an approval
    /// counts only for it, and the grant issued on approval carries it.
    /// </summary>
    public string? PreviewDigest { get; private set; }
    /// <summary>When the preview last changed after the request opened, voiding the approvals cast before.</summary>
    public DateTimeOffset? PreviewChangedAt { get; private set; }
    /// <summary>Every vote cast, including those voided by a change of the preview (kept as evidence).</summary>
    public IReadOnlyList<ApprovalVote> Votes => _votes;

    /// <summary>The votes that count: those not voided by a change of the preview.</summary>
    public IEnumerable<ApprovalVote> LiveVotes => _votes.Where(v => v.VoidedAt is null);

    public int Approvals => LiveVotes.Count(v => v.Verdict == Verdict.Approve);

    public bool IsFinal => State != ApprovalState.Pending;

    /// <summary>The request id that belongs to a decision: one decision, at most one request.</summary>
    public static string IdFor(string decisionId)
    {
        var underscore = decisionId.IndexOf('_', StringComparison.Ordinal);
        return IdPrefix + (underscore >= 0 ? decisionId[(underscore + 1)..] : decisionId);
    }

    /// <summary>Critical actions always need two approvers; otherwise the rule's one or two.</summary>
    public static int ApprovalsNeeded(int requested, RiskTier risk) =>
        risk == RiskTier.Critical ? 2 : Math.Clamp(requested, 1, 2);

    public static ApprovalRequest Open(
        string decisionId, string agentId, UserId owner, UserId? backupOwner, int requiredApprovals, RiskTier risk,
        string? ruleId, DateTimeOffset openedAt, DateTimeOffset expiresAt, IReadOnlyList<string>? eligibleRoles = null, string? previewDigest = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(decisionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(agentId);
        if (expiresAt <= openedAt)
            throw new ArgumentOutOfRangeException(nameof(expiresAt), "A request must expire after it opens.");
        if (eligibleRoles is not null && (eligibleRoles.Count == 0 || eligibleRoles.Any(r => !Roles.IsKnown(r) || r == Roles.Auditor)))
            throw new ArgumentException("Eligible roles are known roles that may decide (not auditors).", nameof(eligibleRoles));
        return new ApprovalRequest
        {
            Id = IdFor(decisionId),
            DecisionId = decisionId,
            AgentId = agentId,
            OwnerId = owner,
            BackupOwnerId = backupOwner,
            RequiredApprovals = ApprovalsNeeded(requiredApprovals, risk),
            RiskTier = risk,
            RuleId = ruleId,
            EligibleRoles = eligibleRoles is null ? DefaultEligibleRoles : [.. eligibleRoles.Distinct(StringComparer.Ordinal)],
            OpenedAt = openedAt,
            ExpiresAt = expiresAt,
            State = ApprovalState.Pending,
            PreviewDigest = previewDigest,
        };
    }

    /// <summary>
    /// Records one vote, or refuses it with the reason. A deny ends the request at once; an approval
    /// ends it when enough distinct eligible people have approved.
    /// </summary>
    /// <param name="previewSeen">
    /// The digest of the preview the voter was shown. An approval of an action with a preview counts only
    /// for the preview the request stands on now (the preview-binding rule); a denial needs none.
    /// </param>
    public Result<ApprovalState> Vote(Voter voter, Verdict verdict, string? reason, DateTimeOffset now, string? previewSeen = null)
    {
        if (WhyCannotVote(voter, now) is { } refused)
            return refused;
        var text = reason?.Trim();
        if (string.IsNullOrEmpty(text))
            return ApprovalErrors.ReasonRequired;
        if (text.Length > MaxReasonLength)
            return ApprovalErrors.ReasonTooLong;
        if (verdict == Verdict.Approve && PreviewDigest is not null && !string.Equals(previewSeen, PreviewDigest, StringComparison.Ordinal))
            return PreviewErrors.Changed;

        _votes.Add(new ApprovalVote(voter, verdict, text, now, verdict == Verdict.Approve ? PreviewDigest : previewSeen));
        if (verdict == Verdict.Deny)
            Finish(ApprovalState.Denied, text, now);
        else if (Approvals >= RequiredApprovals)
            Finish(ApprovalState.Approved, text, now);
        return State;
    }

    /// <summary>Why <paramref name="voter"/> cannot vote now, or null when they can (a reason is still needed).</summary>
    public Error? WhyCannotVote(Voter voter, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(voter);
        if (IsFinal)
            return ApprovalErrors.AlreadyDecided(DescribeFinal());
        if (now >= ExpiresAt)
            return ApprovalErrors.AlreadyDecided($"This request expired at {ExpiresAt:yyyy-MM-dd HH:mm:ss} UTC; nothing more can be decided.");
        if (!voter.IsActive)
            return ApprovalErrors.VoterDisabled;
        if (!MayDecide(voter))
            return ApprovalErrors.NotEligible(WhoMayDecide());
        if (voter.Id == OwnerId)
            return ApprovalErrors.OwnerCannotVote;
        if (BackupOwnerId is { } backup && voter.Id == backup)
            return ApprovalErrors.BackupOwnerCannotVote;
        if (LiveVotes.Any(v => v.VoterId == voter.Id))
            return ApprovalErrors.AlreadyVoted;
        var mailbox = Voter.Mailbox(voter.Email);
        return LiveVotes.FirstOrDefault(v => v.VoterMailbox == mailbox) is { } sameMailbox ? ApprovalErrors.SamePerson(sameMailbox.VoterName) : null;
    }

    /// <summary>
    /// Approving is officers' work (administrators and owners do not act as officers unless they are
    /// also officers); the rule may narrow it to officers who also hold one of its roles.
    /// </summary>
    public bool MayDecide(Voter voter)
    {
        ArgumentNullException.ThrowIfNull(voter);
        return voter.Roles.Contains(Roles.SecurityOfficer) && EligibleRoles.Any(voter.Roles.Contains);
    }

    /// <summary>Who may decide, in words: "security officers" or "security officers who are also administrators".</summary>
    public string WhoMayDecide() =>
        EligibleRoles.Contains(Roles.SecurityOfficer)
            ? People.Roles.PluralName(Roles.SecurityOfficer)
            : $"{People.Roles.PluralName(Roles.SecurityOfficer)} who are also {string.Join(" or ", EligibleRoles.Select(People.Roles.PluralName))}";

    /// <summary>
    /// The preview-binding rule: the action's preview is now <paramref name="digest"/>. When it
    /// differs from the one the request stood on, every approval cast so far is voided (kept, marked, no
    /// longer counted) and the approval starts again; the deadline does not move. The same digest changes
    /// nothing. Returns the votes it voided; refused once the request is final or past its deadline.
    /// </summary>
    public Result<IReadOnlyList<ApprovalVote>> ChangePreview(string digest, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(digest);
        if (IsFinal || now >= ExpiresAt)
            return PreviewErrors.NotPending;
        if (string.Equals(digest, PreviewDigest, StringComparison.Ordinal))
            return Result.Success<IReadOnlyList<ApprovalVote>>([]);
        var voided = LiveVotes.ToList();
        foreach (var vote in voided)
            vote.Void(now);
        PreviewDigest = digest;
        PreviewChangedAt = now;
        return voided;
    }

    /// <summary>Ends a pending request whose deadline has passed. Returns whether it changed.</summary>
    public bool ExpireIfDue(DateTimeOffset now)
    {
        if (IsFinal || now < ExpiresAt)
            return false;
        Finish(ApprovalState.Expired, "No decision was made before the deadline.", now);
        return true;
    }

    /// <summary>Withdraws a pending request (for example because its agent was contained).</summary>
    public Result Cancel(string reason, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (IsFinal)
            return ApprovalErrors.NotPending;
        Finish(ApprovalState.Cancelled, reason.Trim(), now);
        return Result.Success();
    }

    /// <summary>Marks a request left unhandled too long. Returns whether it changed.</summary>
    public bool EscalateIfDue(TimeSpan after, DateTimeOffset now)
    {
        if (IsFinal || EscalatedAt is not null || now < OpenedAt + after || now >= ExpiresAt)
            return false;
        EscalatedAt = now;
        return true;
    }

    /// <summary>Why nothing more can happen, in words for the person who tried.</summary>
    public string DescribeFinal() => State switch
    {
        ApprovalState.Approved => $"Already approved by {Names(Verdict.Approve)}.",
        ApprovalState.Denied => $"Already denied by {Names(Verdict.Deny)}: {ResolutionReason}",
        ApprovalState.Expired => $"This request expired at {ExpiresAt:yyyy-MM-dd HH:mm:ss} UTC; nothing more can be decided.",
        ApprovalState.Cancelled => $"This request was cancelled: {ResolutionReason}",
        _ => "This request is still pending.",
    };

    private string Names(Verdict verdict) => string.Join(" and ", LiveVotes.Where(v => v.Verdict == verdict).Select(v => v.VoterName));

    private void Finish(ApprovalState state, string reason, DateTimeOffset now)
    {
        State = state;
        ResolutionReason = reason;
        ResolvedAt = now;
    }
}
