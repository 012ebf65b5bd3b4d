using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Approvals;
using Warden.Domain.Decisions;
using Warden.Domain.Previews;
using Warden.Domain.Tools;
using Warden.Features.Agents;
using Warden.Features.Approvals;
using Warden.Features.Tools;
using Warden.Tests.Features.Approvals;
using Warden.Tests.Features.Decisions;
using Warden.Tests.Features.Policies;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Previews;

/// <summary>Warden's tool webhooks answer within a second here, so a slow tool fails fast.</summary>
public sealed class PreviewWebhookAppFactory() : WardenAppFactory(new Dictionary<string, string?> { ["Tools:WebhookTimeoutSeconds"] = "1" });

/// <summary>
/// A tool that supplies its own previews, as a real endpoint on Kestrel: asked (signed, the request
/// masked) only when a request is held, before the approval opens; asked again when an officer
/// approves; and every way it can fail holds or refuses the request with the reason, never allows it.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PreviewWebhookTests(PreviewWebhookAppFactory app) : IClassFixture<PreviewWebhookAppFactory>
{
    private const string Ledger = "ledger.post";
    private const string Void = "ledger.void";

    private static AgentDraft Draft() => AgentApiClient.Draft() with
    {
        Tools =
        [
            .. AgentApiClient.Draft().Tools,
            new ToolDraft(Ledger, [OperationKind.Read, OperationKind.Write], RiskTier.Medium, null),
            new ToolDraft(Void, [OperationKind.Write], RiskTier.Medium, null),
        ],
        Scopes = [.. AgentApiClient.Draft().Scopes, "ledger/**"],
    };

    private static object Posting(string tool = Ledger, string operation = "write") => new
    {
        tool,
        operation,
        resource = "ledger/entries/7",
        parameters = new { entry = "7", note = "ask jane.doe@example.com" },
        impact = new { records = 1 },
    };

    private async Task HookAsync(string tool, Uri url)
    {
        var saved = await app.AsUserAsync<ToolHookService, Result>(DemoAccounts.Officer,
            s => s.SaveAsync(new ToolHookForm(tool, PreviewSource.Webhook, url.ToString(), null, null)));
        saved.IsSuccess.ShouldBeTrue(saved.Error.ToString());
    }

    private async Task<JsonElement> AskAsync(object body)
    {
        var agent = await RegisterAsync(app, Draft());
        using var client = Client(app, agent.Token);
        return await JsonOf(await DecideAsync(client, body));
    }

    private static IEnumerable<string?> Codes(JsonElement answer) => answer.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString());

    [Fact]
    public async Task AHeldRequest_AsksTheToolWithASignedMaskedRequest_AndTheCardShowsItsPreview()
    {
        await using var tool = await FakeTool.StartAsync();
        await HookAsync(Ledger, tool.At("/ok"));

        var answer = await AskAsync(Posting());

        answer.GetProperty("outcome").GetString().ShouldBe("pending", answer.ToString());
        var decisionId = answer.GetProperty("id").GetString()!;
        var received = tool.Received.ShouldHaveSingleItem();
        received.Event.ShouldBe("preview.requested");
        received.Delivery.ShouldBe($"{decisionId}.preview");
        app.Services.GetRequiredService<ToolWebhookSignature>().Check(received.Signature, received.Body, tool.At("/ok")).ShouldBeNull();
        var sent = Encoding.UTF8.GetString(received.Body);
        sent.ShouldContain(decisionId);
        sent.ShouldNotContain("jane.doe@example.com");
        var card = await app.AsUserAsync<ApprovalService, Result<ApprovalCard>>(DemoAccounts.Officer, s => s.GetAsync(answer.GetProperty("approval").GetProperty("id").GetString()!));
        card.Value.Preview!.Summary.ShouldBe(FakeTool.Summary);
        card.Value.Preview.Digest.ShouldBe(answer.GetProperty("previewDigest").GetString());
    }

    [Fact]
    public async Task AnAllowedRequest_NeverWaitsForTheTool()
    {
        await using var tool = await FakeTool.StartAsync();
        await HookAsync(Ledger, tool.At("/ok"));

        var answer = await AskAsync(Posting(operation: "read"));

        answer.GetProperty("outcome").GetString().ShouldBe("allow", answer.ToString());
        tool.Received.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("/fail", "HTTP 500")]
    [InlineData("/garbage", "not a JSON document")]
    [InlineData("/slow", "")]
    [InlineData("/shapeless", "preview.summary")]
    [InlineData("down", "")]
    public async Task AToolThatFails_HoldsTheRequestWithTheReason_NeverAllowsIt(string path, string detail)
    {
        await using var tool = await FakeTool.StartAsync();
        await HookAsync(Ledger, path == "down" ? new Uri($"http://127.0.0.1:{ClosedPort()}/preview") : tool.At(path));

        var answer = await AskAsync(Posting());

        answer.GetProperty("outcome").GetString().ShouldBe("pending", answer.ToString());
        Codes(answer).ShouldContain(DecisionCodes.PreviewUnavailable);
        answer.GetProperty("reasons").EnumerateArray().Single(r => r.GetProperty("code").GetString() == DecisionCodes.PreviewUnavailable)
            .GetProperty("message").GetString()!.ShouldContain(detail);
        answer.TryGetProperty("previewDigest", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task AToolThatFails_UnderARuleRequiringAPreview_IsRefusedWithTheReason()
    {
        await using var tool = await FakeTool.StartAsync();
        await HookAsync(Void, tool.At("/fail"));
        // A policy may name only tools some agent declares: the agent exists before the rule does.
        await RegisterAsync(app, Draft());
        await PolicyCandidates.PublishAsync(app, PolicyCandidates.Prepended("previews-1", """
              - id: voids-need-a-preview
                match: { tools: [ledger.void] }
                require: preview
                effect: deny

            """));

        var answer = await AskAsync(Posting(tool: Void));

        answer.GetProperty("outcome").GetString().ShouldBe("deny", answer.ToString());
        Codes(answer).ShouldBe([DecisionCodes.PreviewRequired, DecisionCodes.PreviewUnavailable]);
    }

    [Fact]
    public async Task WhenTheToolsPreviewChangedBeforeTheApproval_TheApprovalIsRefused_AndTheNewPreviewCanBeApproved()
    {
        await using var tool = await FakeTool.StartAsync();
        await HookAsync(Ledger, tool.At("/ok"));
        var answer = await AskAsync(Posting());
        var requestId = answer.GetProperty("approval").GetProperty("id").GetString()!;
        var shown = answer.GetProperty("previewDigest").GetString();

        tool.Amount = 999m;
        var stale = await app.AsUserAsync<ApprovalService, Result<VoteResult>>(DemoAccounts.Officer, s => s.VoteAsync(requestId, Verdict.Approve, "ok", shown));
        var card = await app.AsUserAsync<ApprovalService, Result<ApprovalCard>>(DemoAccounts.Officer, s => s.GetAsync(requestId));
        var fresh = await app.AsUserAsync<ApprovalService, Result<VoteResult>>(DemoAccounts.Officer, s => s.VoteAsync(requestId, Verdict.Approve, "ok", card.Value.Preview!.Digest));

        stale.Error.ShouldBe(PreviewErrors.Changed);
        card.Value.Preview!.Amount.ShouldBe(999m);
        card.Value.Preview.Digest.ShouldNotBe(shown);
        fresh.Value.State.ShouldBe(ApprovalState.Approved);
        (await ApprovalScenario.EventsAsync(app, PreviewChanges.AuditKind, requestId)).ShouldBe(1);
        tool.Received.Count.ShouldBe(3);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed record Received(string Event, string Delivery, string Signature, byte[] Body);

    /// <summary>A tool's preview endpoint on Kestrel: one that answers a preview, and one for each way of failing.</summary>
    private sealed class FakeTool : IAsyncDisposable
    {
        public const string Summary = "Post 40.00 EUR to entry 7";

        private LocalEndpoint _endpoint = null!;

        public ConcurrentQueue<Received> Received { get; } = new();

        public decimal Amount { get; set; } = 40m;

        public Uri At(string path) => new(_endpoint.BaseAddress + path);

        public static async Task<FakeTool> StartAsync()
        {
            var tool = new FakeTool();
            tool._endpoint = await LocalEndpoint.StartAsync(app =>
            {
                app.MapPost("/ok", async context =>
                {
                    await tool.RecordAsync(context);
                    await context.Response.WriteAsJsonAsync(new
                    {
                        summary = Summary, changes = $"- entry 7: 0.00\n+ entry 7: {tool.Amount:0.00}", records = new[] { "ledger/entries/7" }, amount = tool.Amount, currency = "EUR",
                    });
                });
                app.MapPost("/fail", async context =>
                {
                    await tool.RecordAsync(context);
                    context.Response.StatusCode = 500;
                    await context.Response.WriteAsync("upstream exploded");
                });
                app.MapPost("/garbage", async context =>
                {
                    await tool.RecordAsync(context);
                    await context.Response.WriteAsync("<html>not json</html>");
                });
                app.MapPost("/shapeless", async context =>
                {
                    await tool.RecordAsync(context);
                    await context.Response.WriteAsJsonAsync(new { diff = "no summary here" });
                });
                app.MapPost("/slow", async context =>
                {
                    await tool.RecordAsync(context);
                    await Task.Delay(TimeSpan.FromSeconds(3), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                });
            });
            return tool;
        }

        private async Task RecordAsync(HttpContext context)
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            Received.Enqueue(new Received(context.Request.Headers[ToolWebhooks.EventHeader].ToString(), context.Request.Headers[ToolWebhooks.DeliveryHeader].ToString(),
                context.Request.Headers[ToolWebhooks.SignatureHeader].ToString(), buffer.ToArray()));
        }

        public ValueTask DisposeAsync() => _endpoint.DisposeAsync();
    }
}
