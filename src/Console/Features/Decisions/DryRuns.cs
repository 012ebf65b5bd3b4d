using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Domain.Decisions;
using Warden.Features.AuditLog;
using Warden.Features.Containment;
using Warden.Features.Guardrails;
using Warden.Features.Decisions.Stages;
using Warden.Features.Policies;
using Warden.Persistence;

namespace Warden.Features.Decisions;

/// <summary>
/// A dry run: the request goes through the whole decision path (shape, identity and lifecycle, the
/// parameter schema, screening, containment, limits, policy and autonomy) and the answer says what
/// would happen and why, but nothing is reserved or started. No decision row, no grant, no rate or
/// budget count, no approval request, no followers (breakers, baselines, demotions). One
/// <c>decision.dry_run</c> audit event records who tried what and what it would have been; when that
/// event cannot be written, the dry run is refused like a decision that cannot be recorded.
/// </summary>
public sealed class DryRuns(
    RequestShapeStage shape,
    AgentStage identity,
    ParameterSchemaStage schema,
    ScreeningStage screening,
    PreviewStage preview,
    UsageMeter usage,
    PublishedPolicy policy,
    ContainmentRegistry containment,
    IToolCompensations compensations,
    Masking masking,
    AuditWriter audit,
    IDbContextFactory<WardenDbContext> contexts,
    ILogger<DryRuns> logger)
{
    public const string AuditKind = "decision.dry_run";

    /// <summary>The state a dry run's answer carries, so no client can take it for a decision.</summary>
    public const string State = "dry_run";

    /// <summary>Tries <paramref name="body"/> as <paramref name="agentId"/> would ask it; <paramref name="actor"/> is who tried (null: the agent itself).</summary>
    public async Task<Result<DecisionResponse>> TryAsync(string agentId, DecisionRequestBody body, AuditActor? actor, CancellationToken cancellationToken)
    {
        var evaluated = await EvaluateAsync(agentId, body, atLevel: null, cancellationToken);
        if (evaluated.IsFailure)
            return evaluated.Error;
        var (attempt, decision) = (evaluated.Value.Attempt, evaluated.Value.Decision);
        var request = attempt.Request;

        var reasons = decision.Reasons.Select(r => new ReasonBody(r.Code, masking.Text(r.Message))).ToList();
        var outcome = decision.Outcome switch
        {
            DecisionOutcome.Allow => "allow",
            DecisionOutcome.Pending => "pending",
            _ => "deny",
        };
        var id = "dry_" + DecisionIds.New(attempt.Now)[DecisionIds.Prefix.Length..];
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await audit.AppendAsync(db, [AuditEntry.Of(actor ?? AuditActor.Agent(agentId, attempt.Agent.Name), AuditKind, agentId, new
            {
                dryRun = id,
                tool = DecisionRecorder.Fit(masking.Text(request.Tool), 64),
                operation = OperationNames.Name(request.Operation),
                resource = DecisionRecorder.Fit(masking.Text(request.Resource), 512),
                outcome,
                reasons = reasons.Select(r => r.Code).ToList(),
                rule = decision.MatchedRuleId,
                policyVersion = decision.PolicyVersion,
                requiredApprovals = decision.Outcome == DecisionOutcome.Pending ? decision.RequiredApprovals : (int?)null,
            })], cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DecisionLog.RecordFailed(logger, ex, agentId);
            return DecisionErrors.Unavailable;
        }
        return new DecisionResponse(id, outcome, State, reasons, Grant: null, Approval: null, decision.PolicyVersion, decision.RiskTier?.ToString().ToLowerInvariant());
    }

    /// <summary>
    /// The decision path's answer to <paramref name="body"/> and nothing else: no audit event, no
    /// record, no count. A red-team drill runs its cases through this and audits the drill as a whole.
    /// A failure is a refusal before a decision (a problem), or the path being unavailable.
    /// <paramref name="atLevel"/> decides as if the agent were at that autonomy level (a drill before a promotion).
    /// </summary>
    public async Task<Result<DryRunEvaluation>> EvaluateAsync(string agentId, DecisionRequestBody body, int? atLevel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var attempt = new DecisionAttempt(agentId, body, idempotencyKey: null);
        foreach (var stage in new IDecisionStage[] { shape, identity, schema, screening, preview })
        {
            if (await stage.RunAsync(attempt, cancellationToken) is { } refused)
                return refused.IsFailure ? refused.Error : DecisionErrors.Unavailable;
        }
        if (!policy.IsVerified)
            return DecisionErrors.PolicyUnverified;
        var request = attempt.Request;
        // Read, never counted: what the limits would see if the request were made now.
        var seen = await usage.CurrentAsync(agentId, attempt.Now, cancellationToken);
        var compensation = await compensations.ForAsync(attempt.View, request, cancellationToken);
        var view = atLevel is { } level ? attempt.View with { AutonomyLevel = level } : attempt.View;
        var decision = DecisionEngine.Decide(new DecisionContext(
            view, containment.Current, seen, request, attempt.Screening.ForPolicy(), policy.Current, attempt.Now) { PreviewDeclared = attempt.PreviewDeclared, Compensation = compensation });
        return new DryRunEvaluation(attempt, decision);
    }
}

/// <summary>What the decision path would answer, with the attempt it read (the request as understood, the screening).</summary>
public sealed record DryRunEvaluation(DecisionAttempt Attempt, Decision Decision);
