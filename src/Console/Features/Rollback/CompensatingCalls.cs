using System.Text.Json;
using ModelContextProtocol.Protocol;
using Warden.Domain.Gateway;
using Warden.Domain.Rollback;
using Warden.Domain.Tools;
using Warden.Features.Decisions;
using Warden.Features.Gateway;
using Warden.Features.Guardrails;
using Warden.Features.Tools;

namespace Warden.Features.Rollback;

/// <summary>
/// Calls a tool's compensating action for one decision: its signed webhook with the event
/// <see cref="EventType"/>, or the upstream tool the hook names through the MCP gateway. Whatever
/// comes back is turned into a <see cref="RollbackAnswer"/>; only an answer that says the action was
/// undone counts as success, and no fault of the tool throws.
/// </summary>
public sealed class CompensatingCalls(ToolWebhooks webhooks, GatewayCatalog catalog, UpstreamConnections upstreams, Masking masking)
{
    public const string EventType = "rollback.requested";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<(bool Undone, RollbackAnswer Answer)> CallAsync(ToolHook hook, RollbackRequest rollback, DecisionRecord decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hook);
        ArgumentNullException.ThrowIfNull(rollback);
        ArgumentNullException.ThrowIfNull(decision);
        if (rollback.Route == RollbackRoute.Gateway && hook.CompensationGatewayTool is { } tool)
            return await ThroughGatewayAsync(tool, decision, cancellationToken);
        if (hook.CompensationUrl is not { } url)
            return (false, new RollbackAnswer("refused", null, null, RollbackErrors.NoCompensation(decision.Tool).Message));
        var answer = await webhooks.PostAsync(url, EventType, rollback.Id, Body(rollback, decision), cancellationToken);
        return FromWebhook(answer);
    }

    /// <summary>The webhook's body: the decision as recorded (its texts masked by the decision path), the reported outcome and the rollback.</summary>
    public byte[] Body(RollbackRequest rollback, DecisionRecord decision)
    {
        ArgumentNullException.ThrowIfNull(rollback);
        ArgumentNullException.ThrowIfNull(decision);
        return JsonSerializer.SerializeToUtf8Bytes(new
        {
            rollback = rollback.Id,
            attempt = rollback.Attempts,
            decision = new
            {
                id = decision.Id,
                agent = decision.AgentId,
                tool = decision.Tool,
                operation = decision.Operation,
                resource = decision.Resource,
                parameters = Parameters(decision),
                decidedAt = decision.DecidedAt,
                impact = new { records = decision.Records, amount = decision.Amount, currency = decision.Currency },
            },
            outcome = new
            {
                status = decision.OutcomeStatus,
                records = decision.OutcomeRecords,
                amount = decision.OutcomeAmount,
                detail = decision.OutcomeDetail is null ? null : masking.Text(decision.OutcomeDetail),
                reportedAt = decision.OutcomeAt,
            },
        }, Json);
    }

    private (bool, RollbackAnswer) FromWebhook(ToolWebhookAnswer answer)
    {
        var excerpt = answer.Body is null ? null : Excerpt(answer.Body);
        var status = answer.Status switch
        {
            ToolWebhookStatus.Ok => "ok",
            ToolWebhookStatus.Unreachable => "unreachable",
            ToolWebhookStatus.TimedOut => "timed_out",
            ToolWebhookStatus.BadStatus => "bad_status",
            _ => "bad_body",
        };
        if (answer.Status != ToolWebhookStatus.Ok)
            return (false, new RollbackAnswer(status, answer.HttpStatus, excerpt, answer.Detail));
        // A tool that answers 2xx but says it could not undo the action has not undone it.
        if (answer.Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("status", out var said)
            && said.ValueKind == JsonValueKind.String && said.GetString() is "failed" or "refused")
            return (false, new RollbackAnswer("tool_refused", answer.HttpStatus, excerpt, $"The tool answered {answer.HttpStatus} but said \"{said.GetString()}\": the action was not undone."));
        return (true, new RollbackAnswer(status, answer.HttpStatus, excerpt, answer.Detail));
    }

    private async Task<(bool, RollbackAnswer)> ThroughGatewayAsync(string gatewayTool, DecisionRecord decision, CancellationToken cancellationToken)
    {
        // The hook names the tool as the gateway lists it (what ToolHookService checks); a Warden tool name is read too.
        var mapped = await catalog.FindAsync(gatewayTool, cancellationToken)
            ?? (await catalog.GetAsync(cancellationToken))
                .SelectMany(u => u.Mappings.Where(m => m.WardenTool == gatewayTool).Select(m => ((Upstream, ToolMapping)?)(u, m)))
                .FirstOrDefault();
        if (mapped is not { } found)
            return (false, new RollbackAnswer("refused", null, null, $"No upstream of the MCP gateway maps the compensating tool '{gatewayTool}'."));
        var (upstream, mapping) = found;
        var result = await upstreams.CallAsync(upstream, mapping.UpstreamTool, Arguments(decision), cancellationToken);
        if (result.IsFailure)
            return (false, new RollbackAnswer("unreachable", null, null, result.Error.Message));
        var text = string.Join('\n', result.Value.Content.OfType<TextContentBlock>().Select(c => c.Text));
        var excerpt = Excerpt(text);
        return result.Value.IsError == true
            ? (false, new RollbackAnswer("tool_error", null, excerpt, $"The upstream tool '{mapping.UpstreamTool}' of '{upstream.Name}' answered with an error."))
            : (true, new RollbackAnswer("ok", null, excerpt, $"The upstream tool '{mapping.UpstreamTool}' of '{upstream.Name}' ran."));
    }

    /// <summary>The compensating upstream tool gets the original call's arguments as recorded.</summary>
    private static Dictionary<string, JsonElement> Arguments(DecisionRecord decision)
    {
        if (string.IsNullOrEmpty(decision.Parameters))
            return [];
        using var document = JsonDocument.Parse(decision.Parameters);
        return document.RootElement.ValueKind == JsonValueKind.Object
            ? document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal)
            : [];
    }

    private static JsonElement? Parameters(DecisionRecord decision)
    {
        if (string.IsNullOrEmpty(decision.Parameters))
            return null;
        using var document = JsonDocument.Parse(decision.Parameters);
        return document.RootElement.Clone();
    }

    private string Excerpt(string text)
    {
        var head = text.Length > RollbackRequest.MaxExcerptLength * 2 ? text[..(RollbackRequest.MaxExcerptLength * 2)] : text;
        var masked = masking.Text(head);
        return masked.Length > RollbackRequest.MaxExcerptLength ? masked[..RollbackRequest.MaxExcerptLength] : masked;
    }
}
