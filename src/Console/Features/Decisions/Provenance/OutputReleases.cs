using System.Text.Json;
using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Domain.Decisions;
using Warden.Domain.Guardrails;
using Warden.Features.AuditLog;
using Warden.Features.Decisions.Grants;
using Warden.Features.Guardrails;

namespace Warden.Features.Decisions.Provenance;

/// <summary>
/// Turns an output review's allow into what leaves: the output with what the mask rules count masked,
/// the digest of exactly that text, its signed provenance, and the <c>output.released</c> event that
/// stores them (never the values that were masked). Any fault is an error: the caller withholds the output.
/// </summary>
public sealed class OutputReleases(Masking masking, IProvenanceSigner signer, GrantIssuer issuer, ILogger<OutputReleases> logger)
{
    public const string EventKind = "output.released";

    /// <param name="wrapped">The reviewed document, <c>{"output": …}</c>, the findings were located in.</param>
    public Result<(ReleaseBody Release, AuditAddition Recorded)> Prepare(
        DecisionRecord review, DecisionRecord action, string agentName, JsonElement wrapped, Screening screened, Decision decision,
        string? destination, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(screened);
        ArgumentNullException.ThrowIfNull(decision);
        try
        {
            var toMask = OutputScrubbing.ToMask(screened.Findings, decision.MaskRules);
            var scrubbed = masking.Scrub(wrapped, toMask);
            var token = signer.Sign(new ReleaseClaims(issuer.Current, review.Id, action.Id, review.AgentId, action.Tool, scrubbed.Digest, now, scrubbed.Masked));
            // Built from the digest, the kinds and counts and the token alone: nothing here is a masked value.
            var entry = AuditEntry.Of(AuditActor.Agent(review.AgentId, agentName), EventKind, review.Id, new
            {
                decision = action.Id,
                tool = action.Tool,
                destination = destination ?? "undeclared",
                digest = scrubbed.Digest,
                masked = scrubbed.Masked,
                provenance = token,
            }) with { IsMasked = true };
            return (new ReleaseBody(scrubbed.Output, scrubbed.Text, scrubbed.Digest, scrubbed.Masked, token), new AuditAddition(null, [entry]));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ReleaseLog.Withheld(logger, ex, review.AgentId, action.Id);
            var why = ex is OutputScrubException ? ex.Message : $"it could not be scrubbed and signed ({ex.GetType().Name})";
            return new Error(DecisionCodes.OutputWithheld, $"The output is withheld: {why.TrimEnd('.')}.");
        }
    }
}

internal static partial class ReleaseLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "The output of agent {AgentId} for decision {DecisionId} could not be scrubbed or signed; it is withheld.")]
    public static partial void Withheld(ILogger logger, Exception exception, string agentId, string decisionId);
}
