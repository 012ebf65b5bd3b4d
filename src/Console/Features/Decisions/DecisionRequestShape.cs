using System.Text.Json;
using Warden.Domain;
using Warden.Domain.Decisions;

namespace Warden.Features.Decisions;

/// <summary>Step 4 of the pipeline: a request that is not well formed is a 400, never a decision.</summary>
internal static class DecisionRequestShape
{
    public const int MaxIdempotencyKeyLength = 200;
    private const decimal MaxAmount = 100_000_000_000_000m;

    public static Result<DecisionRequest> Check(DecisionRequestBody body, string? idempotencyKey)
    {
        if (idempotencyKey is { } key && (key.Length is 0 or > MaxIdempotencyKeyLength || key.Any(char.IsControl)))
            return DecisionErrors.Invalid($"The Idempotency-Key header has 1 to {MaxIdempotencyKeyLength} printable characters.");
        if (string.IsNullOrWhiteSpace(body.Tool) || body.Tool.Length > 64)
            return DecisionErrors.Invalid("tool is required (at most 64 characters).");
        if (string.IsNullOrWhiteSpace(body.Operation))
            return DecisionErrors.Invalid($"operation is required: one of {OperationNames.All}.");
        if (string.IsNullOrWhiteSpace(body.Resource) || body.Resource.Length > 512)
            return DecisionErrors.Invalid("resource is required (at most 512 characters).");
        if (body.Parameters is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
            return DecisionErrors.Invalid("parameters must be a JSON object.");
        if (body.Justification?.Length > 2000)
            return DecisionErrors.Invalid("justification has at most 2000 characters.");
        var impact = body.Impact;
        if (impact?.Records < 0 || impact?.Amount < 0)
            return DecisionErrors.Invalid("impact.records and impact.amount cannot be negative.");
        if (impact?.Amount > MaxAmount || impact?.Amount is { } amount && decimal.Round(amount, 4) != amount)
            return DecisionErrors.Invalid($"impact.amount is at most {MaxAmount} with at most 4 decimals.");
        if (impact?.Currency is { } currency && (currency.Length != 3 || !currency.All(char.IsAsciiLetter)))
            return DecisionErrors.Invalid("impact.currency is a three-letter code such as EUR.");
        if (impact?.Amount > 0 && impact.Currency is null)
            return DecisionErrors.Invalid("impact.currency is required when impact.amount is given.");

        var request = DecisionRequest.Create(
            body.Tool.Trim(),
            body.Operation.Trim(),
            body.Resource.Trim(),
            new RequestImpact(impact?.Records ?? 0, impact?.Amount ?? 0m, impact?.Currency?.ToUpperInvariant(),
                              (impact?.Records is null ? ImpactFigures.None : ImpactFigures.Records) | (impact?.Amount is null ? ImpactFigures.None : ImpactFigures.Amount)),
            body.Justification);
        return request.IsSuccess ? request : DecisionErrors.Invalid(request.Error.Message);
    }
}
