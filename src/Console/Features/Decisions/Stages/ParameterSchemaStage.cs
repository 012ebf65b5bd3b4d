using Warden.Domain;

namespace Warden.Features.Decisions.Stages;

/// <summary>Schema: parameters that break the declared tool's schema are a 400 listing each violation.</summary>
public sealed class ParameterSchemaStage(ParameterSchemas schemas) : IDecisionStage
{
    public ValueTask<Result<DecisionResponse>?> RunAsync(DecisionAttempt attempt, CancellationToken cancellationToken)
    {
        var tool = attempt.Agent.Tools.FirstOrDefault(t => t.Name == attempt.Request.Tool);
        var violations = schemas.Check(tool?.ParameterSchema, attempt.Body.Parameters);
        if (violations.Count == 0)
            return new((Result<DecisionResponse>?)null);
        Result<DecisionResponse> refused = DecisionErrors.SchemaViolations(violations);
        return new(refused);
    }
}
