namespace Warden.Features.Decisions.Grants;

/// <summary>What a grant says: the decision, the agent, the call decided and when it may run.</summary>
public sealed record GrantClaims(
    string Issuer,
    string DecisionId,
    string AgentId,
    string Tool,
    string Operation,
    string Resource,
    string Digest,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt)
{
    /// <summary>The digest of the preview the action was approved on (claim <c>preview_sha256</c>); null without a preview.</summary>
    public string? PreviewDigest { get; init; }

    /// <summary>
    /// The grant of a recorded allow (or approval), the same on every reading of the record: it starts
    /// when the action was allowed and ends with the grant's expiry.
    /// </summary>
    public static GrantClaims Of(DecisionRecord record, string issuer)
    {
        var expiresAt = DecisionAnswers.GrantExpiry(record);
        return new GrantClaims(issuer, record.Id, record.AgentId, record.Tool, record.Operation, record.Resource,
            record.RequestDigest, expiresAt - GrantTokens.Lifetime, expiresAt) { PreviewDigest = record.PreviewDigest };
    }

    /// <summary>Whether this grant names exactly this decision of this agent and the request it decided.</summary>
    public bool IsFor(DecisionRecord record) =>
        DecisionId == record.Id && AgentId == record.AgentId && Digest == record.RequestDigest;
}
