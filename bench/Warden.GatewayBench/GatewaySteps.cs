using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
using Warden.Features.Decisions;
using Warden.Features.Gateway;

namespace Warden.GatewayBench;

/// <summary>
/// Where a gateway call's time goes: the steps of <c>GatewayCalls.CallAsync</c> for an allowed call,
/// called one after the other on the app's own services (no HTTP, no MCP session) and timed one by
/// one, one call at a time. It mirrors that method; keep the two in step.
/// </summary>
internal sealed class GatewaySteps(IServiceProvider services, string agentId)
{
    public static readonly string[] Names =
    [
        "find the mapping, fill the resource, tool list, upstream schema check",
        "decision (the pipeline, durable with its audit event)",
        "upstream call (stdio)",
        "agent name, forward event, outcome checked (the committed record, the grant not voided since)",
        "output review with the outcome and the forward (screening, one durable write)",
    ];

    private readonly Dictionary<string, JsonElement> _arguments = new() { ["path"] = JsonSerializer.SerializeToElement(UpstreamServer.FileName) };

    /// <returns>For each step, its sorted per-call times in stopwatch ticks, and the bytes the process allocated in it per call.</returns>
    public async Task<(long[][] Ticks, double[] BytesPerCall)> RunAsync(int calls)
    {
        for (var i = 0; i < Math.Min(calls / 10, 100); i++)
            await CallAsync(new long[Names.Length], new long[Names.Length]);
        var ticks = Names.Select(_ => new long[calls]).ToArray();
        var bytes = new double[Names.Length];
        var one = new long[Names.Length];
        var oneBytes = new long[Names.Length];
        for (var i = 0; i < calls; i++)
        {
            await CallAsync(one, oneBytes);
            for (var step = 0; step < one.Length; step++)
            {
                ticks[step][i] = one[step];
                bytes[step] += oneBytes[step] / (double)calls;
            }
        }
        foreach (var step in ticks)
            Array.Sort(step);
        return (ticks, bytes);
    }

    private async Task CallAsync(long[] ticks, long[] bytes)
    {
        var catalog = services.GetRequiredService<GatewayCatalog>();
        var connections = services.GetRequiredService<UpstreamConnections>();
        var step = 0;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var start = Stopwatch.GetTimestamp();
        void Lap()
        {
            var now = Stopwatch.GetTimestamp();
            var total = GC.GetTotalAllocatedBytes(precise: true);
            (ticks[step], bytes[step]) = (now - start, total - allocated);
            step++;
            allocated = total;
            start = Stopwatch.GetTimestamp();
        }

        var (upstream, mapping) = (await catalog.FindAsync(BenchSetup.ExposedName, CancellationToken.None))!.Value;
        var resource = mapping.Template.Fill(name => _arguments.TryGetValue(name, out var value) ? value.GetString() : null).Value;
        var tool = (await connections.ToolsAsync(upstream, CancellationToken.None)).Value.First(t => t.Name == mapping.UpstreamTool);
        var arguments = JsonSerializer.SerializeToElement(_arguments);
        var schema = tool.InputSchema.GetRawText();
        if (!ToolDeclaration.SchemaUsesRegex(schema) && services.GetRequiredService<ParameterSchemas>().Check(schema, arguments).Count > 0)
            throw new InvalidOperationException("breakdown: the arguments fail the upstream's schema.");
        Lap();

        var body = new DecisionRequestBody(mapping.WardenTool, OperationNames.Name(mapping.Operation), resource, arguments, null, null);
        var decided = (await services.GetRequiredService<DecisionPipeline>().DecideRecordedAsync(agentId, body, CancellationToken.None)).Value;
        var answer = decided.Answer;
        if (answer.Outcome != "allow" || answer.Grant is null || decided.Record is null)
            throw new InvalidOperationException($"breakdown: the decision was {answer.Outcome}.");
        Lap();

        var started = Stopwatch.GetTimestamp();
        var result = (await connections.CallAsync(upstream, mapping.UpstreamTool, _arguments, CancellationToken.None)).Value;
        UpstreamServer.Check(result, "breakdown");
        Lap();

        var agent = await services.GetRequiredService<LiveAgents>().GetAsync(AgentId.TryParse(agentId, out var id) ? id : default, CancellationToken.None);
        var forward = GatewayForwards.Entry(new GatewayForward(agentId, agent?.Name ?? agentId, answer.Id, upstream, mapping,
            resource, true, null, Stopwatch.GetElapsedTime(started)));
        var outcome = services.GetRequiredService<OutcomeReports>().PrepareRecorded(agentId, decided.Record, "succeeded", null);
        if (outcome.IsFailure)
            throw new InvalidOperationException($"breakdown: {outcome.Error}");
        var addition = AuditAddition.Join(outcome.Value.Addition, new AuditAddition(null, [forward]));
        Lap();

        var output = JsonSerializer.SerializeToElement(result, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(CallToolResult)));
        var review = (await services.GetRequiredService<OutputReviews>().ReviewAsync(agentId, outcome.Value.Decision, new OutputReviewBody(output), CancellationToken.None, addition)).Value;
        if (review.Outcome != "allow")
            throw new InvalidOperationException($"breakdown: the output review was {review.Outcome}.");
        Lap();
    }
}
