using System.Text.Json;
using Warden.Domain.Approvals;
using Warden.Domain.Decisions;
using Warden.Features.Decisions.Grants;

namespace Warden.Features.Decisions;

/// <summary>The agent's answer for a recorded decision as it stands now, with its grant while one is usable.</summary>
public sealed class DecisionAnswers(GrantTokens grants)
{
    public DecisionResponse For(DecisionRecord record)
    {
        var reasons = JsonSerializer.Deserialize(record.Reasons, DecisionJson.Default.ListReasonBody) ?? [];
        var grant = record.State is DecisionState.Allowed or DecisionState.Approved && record.ReviewOf is null
            ? new GrantBody(grants.For(record), GrantExpiry(record))
            : null;
        var approval = record.Outcome == DecisionOutcome.Pending
            ? new ApprovalBody(ApprovalRequest.IdFor(record.Id), record.RequiredApprovals, record.ExpiresAt ?? record.DecidedAt)
            : null;
        return new DecisionResponse(
            record.Id,
            CurrentOutcome(record),
            record.State.ToString().ToLowerInvariant(),
            reasons,
            grant,
            approval,
            record.PolicyVersion,
            record.RiskTier) { PreviewDigest = record.PreviewDigest };
    }

    public static DateTimeOffset GrantExpiry(DecisionRecord record) =>
        record.GrantExpiresAt ?? record.ExpiresAt ?? record.DecidedAt;

    /// <summary>The answer as it stands now: approved decisions allow, refused or lapsed approvals deny.</summary>
    private static string CurrentOutcome(DecisionRecord record) => record.State switch
    {
        DecisionState.Pending => "pending",
        DecisionState.Allowed or DecisionState.Approved => "allow",
        DecisionState.Completed => record.Outcome == DecisionOutcome.Deny ? "deny" : "allow",
        _ => "deny",
    };
}
