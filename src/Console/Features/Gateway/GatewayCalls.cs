using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Domain.Gateway;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
using Warden.Features.Decisions;

namespace Warden.Features.Gateway;

/// <summary>
/// <c>tools/call</c>: every call is a decision. Allow forwards it to the upstream and records the
/// outcome with the grant; the result is then reviewed before the agent sees it. Deny is a tool
/// error with the reason; pending waits (bounded) for officers. Nothing reaches the upstream
/// unless the decision allowed it.
/// </summary>
public sealed class GatewayCalls(
    GatewayCatalog catalog,
    UpstreamConnections connections,
    LiveAgents agents,
    ParameterSchemas schemas,
    DecisionPipeline decisions,
    DecisionStatus status,
    OutcomeReports outcomes,
    OutputReviews reviews,
    AuditWriter audit,
    IOptions<GatewayOptions> options)
{
    private static readonly JsonTypeInfo CallToolResultJson = McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(CallToolResult));
    private static readonly JsonTypeInfo ArgumentsJson = McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, JsonElement>));
    private static readonly Dictionary<string, JsonElement> NoArguments = [];

    public async Task<CallToolResult> CallAsync(string agentId, CallToolRequestParams call, CancellationToken cancellationToken)
    {
        var found = await catalog.FindAsync(call.Name, cancellationToken)
            ?? throw new McpProtocolException($"Unknown tool '{call.Name}'.", McpErrorCode.InvalidParams);
        var (upstream, mapping) = found;
        var resource = mapping.Template.Fill(name => ArgumentText(call.Arguments, name));
        if (resource.IsFailure)
            throw new McpProtocolException(resource.Error.Message, McpErrorCode.InvalidParams);
        var offered = await connections.ToolsAsync(upstream, cancellationToken);
        if (offered.IsFailure)
            return GatewayReplies.Error(offered.Error.Message);
        var tool = offered.Value.FirstOrDefault(t => t.Name == mapping.UpstreamTool)
            ?? throw new McpProtocolException($"Unknown tool '{call.Name}': its upstream no longer offers it.", McpErrorCode.InvalidParams);
        var arguments = JsonSerializer.SerializeToElement(call.Arguments ?? NoArguments, ArgumentsJson);
        CheckUpstreamSchema(tool, arguments);
        if (await RiskBelowMappingAsync(agentId, mapping, cancellationToken) is { } tooLow)
            return tooLow;

        var body = new DecisionRequestBody(mapping.WardenTool, OperationNames.Name(mapping.Operation), resource.Value, arguments, null, null);
        var decided = await decisions.DecideRecordedAsync(agentId, body, cancellationToken);
        if (decided.IsFailure)
            throw GatewayReplies.Invalid(decided.Error);
        var answer = await SettleAsync(agentId, decided.Value.Answer, cancellationToken);
        // An allow answered at once is the record this call committed; one approved later is read again.
        var committed = decided.Value.Answer.Outcome == "allow" ? decided.Value.Record : null;
        if (answer.Outcome != "allow" || answer.Grant is null)
            return GatewayReplies.Refused(answer, options.Value.PendingWaitSeconds);

        var started = Stopwatch.GetTimestamp();
        var result = await connections.CallAsync(upstream, mapping.UpstreamTool, call.Arguments, cancellationToken);
        var succeeded = result.IsSuccess && result.Value.IsError != true;
        var elapsed = Stopwatch.GetElapsedTime(started);
        var agentName = AgentId.TryParse(agentId, out var id) ? (await agents.GetAsync(id, CancellationToken.None))?.Name : null;
        var error = result.IsFailure ? result.Error.Message : null;
        var forward = GatewayForwards.Entry(new GatewayForward(agentId, agentName ?? agentId, answer.Id, upstream, mapping, resource.Value, succeeded, error, elapsed));
        // What happened is recorded even if the agent has gone: the outcome with the grant, the
        // forward's event and the review of the result commit in one transaction, and the agent is
        // answered once it is durable.
        var status = succeeded ? "succeeded" : "failed";
        var outcome = committed is not null
            ? outcomes.PrepareRecorded(agentId, committed, status, error)
            : await outcomes.PrepareAsync(agentId, answer.Id, new OutcomeReportBody(answer.Grant.Token, status, null, null, error), CancellationToken.None);
        var recorded = new AuditAddition(null, [forward]);
        var addition = outcome.IsSuccess ? AuditAddition.Join(outcome.Value.Addition, recorded)! : recorded;
        if (result.IsFailure)
        {
            await CommitAsync(addition, recorded);
            return GatewayReplies.Error($"{result.Error.Message} The call was allowed but did not complete (decision {answer.Id}).");
        }
        return await ReviewAsync(agentId, answer.Id, outcome.IsSuccess ? outcome.Value.Decision : null, result.Value, addition, recorded, cancellationToken);
    }

    /// <summary>A pending answer waits for officers, as long as the gateway allows.</summary>
    private async Task<DecisionResponse> SettleAsync(string agentId, DecisionResponse answer, CancellationToken cancellationToken)
    {
        if (answer.Outcome != "pending" || options.Value.PendingWaitSeconds == 0)
            return answer;
        var settled = await status.GetAsync(agentId, answer.Id, TimeSpan.FromSeconds(options.Value.PendingWaitSeconds), cancellationToken);
        return settled.IsSuccess ? settled.Value : answer;
    }

    /// <param name="decision">The decision as the outcome's check read it, if it could (the review need not read it again).</param>
    private async Task<CallToolResult> ReviewAsync(string agentId, string decisionId, DecisionRecord? decision,
        CallToolResult result, AuditAddition addition, AuditAddition forward, CancellationToken cancellationToken)
    {
        var output = new OutputReviewBody(JsonSerializer.SerializeToElement(result, CallToolResultJson));
        var reviewed = decision is null
            ? await reviews.ReviewAsync(agentId, decisionId, output, CancellationToken.None, addition)
            : await reviews.ReviewAsync(agentId, decision, output, CancellationToken.None, addition);
        if (reviewed.IsFailure)
        {
            // The review was not recorded, and neither was what came with it.
            await CommitAsync(addition, forward);
            return GatewayReplies.Error($"The call ran, but its output could not be reviewed, so it is withheld: {reviewed.Error.Message}");
        }
        var review = await SettleAsync(agentId, reviewed.Value, cancellationToken);
        if (review.Outcome != "allow")
            return GatewayReplies.Withheld(review, options.Value.PendingWaitSeconds);
        if (review.Release is not { } release)
            return result;
        try
        {
            return Released(release);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException)
        {
            return GatewayReplies.Error($"The call ran, but its scrubbed output could not be read back as a tool result, so it is withheld (decision {decisionId}).");
        }
    }

    /// <summary>
    /// What the review released, as the agent receives it: the result with what the policy masks masked
    /// in its text and its structured content alike, and the provenance in <c>_meta</c> (the digest
    /// covers the result as released before <c>_meta</c> gains the <c>warden/</c> entries).
    /// </summary>
    private static CallToolResult Released(ReleaseBody release)
    {
        var released = release.Output.Deserialize(CallToolResultJson) as CallToolResult
            ?? throw new InvalidOperationException("The released output is not a tool result.");
        released.Meta ??= [];
        released.Meta["warden/provenance"] = release.Provenance;
        released.Meta["warden/digest"] = release.Digest;
        released.Meta["warden/masked"] = new System.Text.Json.Nodes.JsonArray([.. release.Masked.Select(m =>
            (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject { ["kind"] = m.Kind, ["count"] = m.Count })]);
        return released;
    }

    /// <summary>Commits what the gateway records about a call on its own; if the outcome cannot be written, the forward still is.</summary>
    private async Task CommitAsync(AuditAddition addition, AuditAddition forward)
    {
        try
        {
            await audit.CommitAsync(addition);
        }
        catch (Exception ex) when (!ReferenceEquals(addition, forward) && ex is AuditCommitException or DbUpdateConcurrencyException)
        {
            await audit.CommitAsync(forward);
        }
    }

    // The upstream's own schema is checked before anything is decided; one with regular expressions
    // is left to the upstream (they would run here without a timeout).
    private void CheckUpstreamSchema(Tool tool, JsonElement arguments)
    {
        var schema = tool.InputSchema.GetRawText();
        if (ToolDeclaration.SchemaUsesRegex(schema))
            return;
        var violations = schemas.Check(schema, arguments);
        if (violations.Count > 0)
            throw GatewayReplies.Invalid(DecisionErrors.SchemaViolations(violations));
    }

    private async Task<CallToolResult?> RiskBelowMappingAsync(string agentId, ToolMapping mapping, CancellationToken cancellationToken)
    {
        if (mapping.MinimumRisk is not { } minimum || !AgentId.TryParse(agentId, out var id))
            return null;
        var declared = (await agents.GetAsync(id, cancellationToken))?.Tools.FirstOrDefault(t => t.Name == mapping.WardenTool);
        if (declared is null || declared.Risk >= minimum)
            return null;
        return GatewayReplies.Error($"Warden refused: '{mapping.ExposedName}' is mapped as at least {minimum.ToString().ToLowerInvariant()} risk, but the agent declares "
            + $"{mapping.WardenTool} as {declared.Risk.ToString().ToLowerInvariant()}; its owner must declare it at that tier first. The call was not run.");
    }

    private static string? ArgumentText(IDictionary<string, JsonElement>? arguments, string name) =>
        arguments is not null && arguments.TryGetValue(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
