using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Decisions;
using Warden.Domain.Guardrails;
using Warden.Persistence;

namespace Warden.Features.Decisions.Provenance;

/// <summary>
/// Checks a provenance token for a recipient: signed by one of Warden's keys, naming an output
/// review on record that released it, and carrying the digest of exactly the text (or digest) given.
/// Anyone may ask: the token carries its claims and the keys are public, so the answer reveals only
/// that Warden has the record the token already names.
/// </summary>
public sealed class ProvenanceVerification(ProvenanceTokens tokens, IDbContextFactory<WardenDbContext> contexts)
{
    public async Task<Result<ProvenanceCheckResponse>> VerifyAsync(ProvenanceCheckBody body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (string.IsNullOrWhiteSpace(body.Provenance))
            return DecisionErrors.Invalid("provenance is required: the token released with the output.");
        if (body.Text is null == body.Digest is null)
            return DecisionErrors.Invalid("Send either text (the released output exactly) or digest (its SHA-256 as 64 hex digits), not both or neither.");
        var digest = body.Text is not null ? OutputScrubbing.DigestOf(body.Text) : body.Digest!.Trim().ToLowerInvariant();
        if (digest.Length != 64 || !digest.All(char.IsAsciiHexDigit))
            return DecisionErrors.Invalid("digest is the SHA-256 of the released text: 64 hex digits.");

        var (claims, failure, detail) = tokens.Read(body.Provenance.Trim());
        if (claims is null)
            return new ProvenanceCheckResponse(false, failure!, detail, null);
        var shown = new ProvenanceClaimsBody(claims.ReviewId, claims.DecisionId, claims.AgentId, claims.Tool, claims.Digest, claims.ReleasedAt, claims.Masked);
        if (!string.Equals(claims.Digest, digest, StringComparison.Ordinal))
            return new ProvenanceCheckResponse(false, "digest_mismatch",
                "The token is Warden's, but for another output: the text given is not exactly what was released with it.", shown);
        await using var db = contexts.CreateDbContext();
        var onRecord = await db.Decisions.AsNoTracking().AnyAsync(d => d.Id == claims.ReviewId && d.ReviewOf == claims.DecisionId
            && d.AgentId == claims.AgentId && d.Outcome == DecisionOutcome.Allow, cancellationToken);
        return onRecord
            ? new ProvenanceCheckResponse(true, "valid", $"Released by Warden for agent {claims.AgentId} ({claims.Tool}) at {claims.ReleasedAt:u}, exactly this output.", shown)
            : new ProvenanceCheckResponse(false, "not_on_record", "The token is signed, but this Warden has no record of the release it names.", shown);
    }
}
