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
public sealed class PreviewFetcher(IToolPreviews tools, PreviewScreening screening, Masking masking)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<FetchedPreview> FetchAsync(Uri url, DecisionAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return FetchAsync(url, $"{attempt.DecisionId}.preview", Body(attempt), attempt.AgentId, attempt.View, attempt.Request.Tool, cancellationToken);
    }

    /// <summary>Asks again for a recorded held decision (when an officer approves), with a delivery id of its own.</summary>
    public Task<FetchedPreview> FetchAgainAsync(Uri url, DecisionRecord record, AgentView view, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var parameters = record.Parameters is { } json ? JsonDocument.Parse(json) : null;
        var body = JsonSerializer.SerializeToUtf8Bytes(new PreviewRequest(record.Id, record.AgentId, record.Tool, record.Operation, record.Resource,
            parameters?.RootElement.Clone(), new PreviewRequestImpact(record.Records, record.Amount, record.Currency), record.Justification), Json);
        return FetchAsync(url, $"{record.Id}.preview.{now.ToUnixTimeMilliseconds()}", body, record.AgentId, view, record.Tool, cancellationToken);
    }

    private async Task<FetchedPreview> FetchAsync(
        Uri url, string deliveryId, byte[] body, string agentId, AgentView view, string tool, CancellationToken cancellationToken)
    {
        var answer = await tools.AskAsync(url, deliveryId, body, cancellationToken);
        if (answer.Failure is not null || answer.Json is not { } json)
            return new FetchedPreview(null, answer.Failure ?? "the tool answered no preview");
        var preview = PreviewShape.FromTool(json);
        if (preview.IsFailure)
            return new FetchedPreview(null, $"the tool answered a preview of the wrong shape: {preview.Error.Message}");
        var screened = await screening.ScreenAsync(agentId, view, tool, preview.Value, cancellationToken);
        return screened is null ? new FetchedPreview(null, "the preview could not be screened", Unscreened: true) : new FetchedPreview(screened, null);
    }

    /// <summary>The request as recorded: what the tool needs to say what it would change, with personal data and secrets masked.</summary>
    public byte[] Body(DecisionAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var request = attempt.Request;
        var findings = attempt.Screening.Findings;
        using var parameters = attempt.Body.Parameters is { } p ? JsonDocument.Parse(masking.Json(p, findings)) : null;
        return JsonSerializer.SerializeToUtf8Bytes(new PreviewRequest(
            attempt.DecisionId!, attempt.AgentId, request.Tool, OperationNames.Name(request.Operation), masking.Text(request.Resource),
            parameters?.RootElement, new PreviewRequestImpact(request.Impact.Records, request.Impact.Amount, request.Impact.Currency),
            request.Justification is null ? null : masking.Text(request.Justification, findings.Where(f => f.Location == RequestScreening.JustificationLocation))), Json);
    }
}

/// <summary>The body of <c>preview.requested</c>: the decided request (personal data and secrets masked) and the decision id.</summary>
public sealed record PreviewRequest(
    string DecisionId, string AgentId, string Tool, string Operation, string Resource, JsonElement? Parameters, PreviewRequestImpact Impact, string? Justification);

public sealed record PreviewRequestImpact(int Records, decimal Amount, string? Currency);
