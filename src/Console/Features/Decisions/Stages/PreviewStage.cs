using Warden.Domain;
using Warden.Domain.Previews;
using Warden.Features.Decisions.Previews;
using Warden.Features.Guardrails;

namespace Warden.Features.Decisions.Stages;

/// <summary>
/// Previews: whether the tool declares one, and the agent's preview screened like the rest of the
/// request (its findings go to the policy with the others). A tool that supplies its own preview is
/// asked for it only if the request is held (<see cref="PreviewFetchStage"/>); the agent's is then ignored.
/// </summary>
public sealed class PreviewStage(IToolPreviews hooks, PreviewScreening screening, ILogger<PreviewStage> logger) : IDecisionStage
{
    public async ValueTask<Result<DecisionResponse>?> RunAsync(DecisionAttempt attempt, CancellationToken cancellationToken)
    {
        PreviewHookView hook;
        try
        {
            hook = await hooks.FindAsync(attempt.Request.Tool, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Without the tool's hook it cannot be known whether a preview is due: refused, never allowed.
            DecisionLog.RecordFailed(logger, ex, attempt.AgentId);
            return DecisionErrors.Unavailable;
        }
        attempt.PreviewDeclared = hook.Declared;
        attempt.PreviewFetchFrom = hook.FetchFrom;
        attempt.Preview = null;
        if (hook.FetchFrom is not null)
        {
            attempt.Request = attempt.Request with { Preview = PreviewPresence.ToFetch };
            return null;
        }
        if (attempt.GivenPreview is not { } given)
        {
            attempt.Request = attempt.Request with { Preview = PreviewPresence.Absent };
            return null;
        }
        var screened = await screening.ScreenAsync(attempt.AgentId, attempt.View, attempt.Request.Tool, given, cancellationToken);
        if (screened is null)
            return DecisionErrors.Unavailable;
        attempt.Preview = screened;
        attempt.Screening = new Screening([.. attempt.Screening.Findings, .. screened.Findings]);
        attempt.Request = attempt.Request with { Preview = PreviewPresence.Given };
        return null;
    }
}
