using Warden.Domain;

namespace Warden.Features.Decisions.Stages;

/// <summary>Shape: a request that is not well formed is a 400, never a decision; the rest is bound to its digest.</summary>
public sealed class RequestShapeStage : IDecisionStage
{
    public ValueTask<Result<DecisionResponse>?> RunAsync(DecisionAttempt attempt, CancellationToken cancellationToken)
    {
        var shape = DecisionRequestShape.Check(attempt.Body, attempt.IdempotencyKey);
        if (shape.IsFailure)
            return new(shape.Error);
        attempt.Request = shape.Value;
        if (attempt.Body.Preview is { } preview)
        {
            var read = Previews.PreviewShape.Read(preview);
            if (read.IsFailure)
                return new(read.Error);
            attempt.GivenPreview = read.Value;
        }
        attempt.Digest = RequestDigest.Of(attempt.Body);
        return new((Result<DecisionResponse>?)null);
    }
}
