using System.Text.Json;
using Warden.Domain;
using Warden.Domain.Decisions;
using Warden.Features.Guardrails;

namespace Warden.Features.Decisions.Stages;

/// <summary>Screening: the guardrail scanners and hosted detectors read the parameters and justification; what they find goes to the policy.</summary>
public sealed class ScreeningStage(GuardedScreening screening) : IDecisionStage
{
    public async ValueTask<Result<DecisionResponse>?> RunAsync(DecisionAttempt attempt, CancellationToken cancellationToken)
    {
        var screened = await screening.ScreenAsync(attempt.AgentId, attempt.View, attempt.Request.Tool, RequestScreening.RequestStage,
            attempt.Body.Parameters, attempt.Request.Justification, cancellationToken);
        if (screened is null)
            return DecisionErrors.Unavailable;
        attempt.Screening = screened;
        return null;
    }
}

/// <summary>Screening that cannot finish refuses: null means the decision is unavailable, never allowed.</summary>
public sealed class GuardedScreening(RequestScreening screening, ILogger<GuardedScreening> logger)
{
    public async Task<Screening?> ScreenAsync(
        string agentId, AgentView view, string tool, string stage, JsonElement? content, string? justification, CancellationToken cancellationToken)
    {
        try
        {
            return await screening.ScreenAsync(agentId, view, tool, stage, content, justification, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DecisionLog.ScreeningFailed(logger, ex, agentId);
            return null;
        }
    }
}
