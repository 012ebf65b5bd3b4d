using Warden.Domain;
using Warden.Domain.Decisions;
using Warden.Domain.Previews;
using Warden.Features.Decisions.Previews;
using Warden.Features.Guardrails;

namespace Warden.Features.Decisions.Stages;

/// <summary>
/// A held request for a tool that supplies its own preview: the tool's preview endpoint is asked
/// (a signed webhook) before the approval opens, the answer screened, and the request decided again
/// with it. A preview that cannot be read (down, slow, garbage, a bad status) holds or refuses, as
/// the policy says, with the reason: never an allow.
/// </summary>
public sealed class PreviewFetchStage(PreviewFetcher fetcher) : IDecisionStage
{
    public async ValueTask<Result<DecisionResponse>?> RunAsync(DecisionAttempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.Decision.Outcome != DecisionOutcome.Pending || attempt.PreviewFetchFrom is not { } url)
            return null;
        if (attempt.Request.Preview is not (PreviewPresence.ToFetch or PreviewPresence.Unreadable))
            return null;
        attempt.DecisionId ??= DecisionIds.New(attempt.Now);
        var fetched = await fetcher.FetchAsync(url, attempt, cancellationToken);
        if (fetched.Unscreened)
            return DecisionErrors.Unavailable;
        var request = attempt.Request with { Preview = fetched.Preview is null ? PreviewPresence.Unreadable : PreviewPresence.Given };
        var screening = fetched.Preview is null ? attempt.Screening : new Screening([.. attempt.Screening.Findings, .. fetched.Preview.Findings]);
        var again = DecisionEngine.Decide(new DecisionContext(
            attempt.View, attempt.DecidedUnder, attempt.Usage, request, screening.ForPolicy(), attempt.Policy, attempt.Now) { PreviewDeclared = true });
        attempt.Decision = PreviewBinding.AfterFetch(attempt.Decision, again, fetched.Failure);
        attempt.Request = request;
        attempt.Screening = screening;
        attempt.Preview = fetched.Preview;
        return null;
    }
}
