using System.Text.Json;
using Warden.Domain.Decisions;
using Warden.Features.Decisions.Stages;
using Warden.Features.Guardrails;

namespace Warden.Features.Decisions.Previews;

/// <summary>What asking a tool for its preview gave: the preview screened, or why there is none; <see cref="Unscreened"/> when screening could not finish.</summary>
public sealed record FetchedPreview(ScreenedPreview? Preview, string? Failure, bool Unscreened = false);

/// <summary>
/// Asks a tool's preview endpoint what a held request would change: event <c>preview.requested</c>,
/// the request as recorded (personal data and secrets masked) with the decision id. Any fault of the
/// tool (down, slow, garbage, an unexpected status, a preview of the wrong shape) is a failure with its
/// reason, never an exception and never a preview.
/// </summary>
public sealed class PreviewFetcher(PreviewScreening screening, Masking masking)
{
    public const string EventType = "preview.requested";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<FetchedPreview> FetchAsync(Uri url, DecisionAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var body = Body(attempt);
        var answer = await PostAsync(url, $"{attempt.DecisionId}.preview", body, cancellationToken);
        if (answer.Failure is { } failure)
            return new FetchedPreview(null, failure);
        var preview = PreviewShape.FromTool(answer.Json!.Value);
        if (preview.IsFailure)
            return new FetchedPreview(null, $"the tool answered a preview of the wrong shape: {preview.Error.Message}");
        var screened = await screening.ScreenAsync(attempt.AgentId, attempt.View, attempt.Request.Tool, preview.Value, cancellationToken);
        return screened is null ? new FetchedPreview(null, "the preview could not be screened", Unscreened: true) : new FetchedPreview(screened, null);
    }

    /// <summary>The request as recorded: what the tool needs to say what it would change, with personal data and secrets masked.</summary>
    public byte[] Body(DecisionAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var request = attempt.Request;
        var findings = attempt.Screening.Findings;
        using var parameters = attempt.Body.Parameters is { } p ? JsonDocument.Parse(masking.Json(p, findings)) : null;
        return JsonSerializer.SerializeToUtf8Bytes(new
        {
            decisionId = attempt.DecisionId,
            agentId = attempt.AgentId,
            tool = request.Tool,
            operation = OperationNames.Name(request.Operation),
            resource = masking.Text(request.Resource),
            parameters = parameters?.RootElement,
            impact = new { records = request.Impact.Records, amount = request.Impact.Amount, currency = request.Impact.Currency },
            justification = request.Justification is null
                ? null
                : masking.Text(request.Justification, findings.Where(f => f.Location == RequestScreening.JustificationLocation)),
        }, Json);
    }

    private static Task<(JsonElement? Json, string? Failure)> PostAsync(Uri url, string deliveryId, byte[] body, CancellationToken cancellationToken) =>
        Task.FromResult<(JsonElement?, string?)>((null, "tool hooks are not available"));
}
