using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Persistence;

namespace Warden.Features.Decisions.Stages;

/// <summary>Idempotency: a key seen before answers as it was answered (same body) or conflicts (another body).</summary>
public sealed class IdempotencyStage(IDbContextFactory<WardenDbContext> contexts, DecisionAnswers answers) : IDecisionStage
{
    public async ValueTask<Result<DecisionResponse>?> RunAsync(DecisionAttempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.IdempotencyKey is null)
            return null;
        return await EarlierAnswerAsync(attempt.AgentId, attempt.IdempotencyKey, attempt.Digest, cancellationToken);
    }

    /// <summary>The answer already given for this key, or null when the key is new.</summary>
    public async Task<Result<DecisionResponse>?> EarlierAnswerAsync(string agentId, string idempotencyKey, string digest, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var earlier = await db.Decisions.AsNoTracking()
            .SingleOrDefaultAsync(d => d.AgentId == agentId && d.IdempotencyKey == idempotencyKey, cancellationToken);
        if (earlier is null)
            return null;
        return earlier.RequestDigest == digest ? answers.For(earlier) : DecisionErrors.IdempotencyConflict;
    }
}
