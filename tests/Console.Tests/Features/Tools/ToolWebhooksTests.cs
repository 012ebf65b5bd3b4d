using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Warden.Features.Tools;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Tools;

/// <summary>Warden's signed requests to tools, against a real tool endpoint on Kestrel that misbehaves in every way a tool can.</summary>
[Collection(AppCollection.Name)]
public sealed class ToolWebhooksTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private static readonly byte[] Body = """{"decision":"dec_1","tool":"payments.transfer"}"""u8.ToArray();

    [Fact]
    public async Task AToolThatAnswersJson_GetsASignedRequestItCanVerify_AndItsAnswerIsRead()
    {
        await using var tool = await FakeTool.StartAsync();
        var url = tool.At("/ok");

        var answer = await Webhooks().PostAsync(url, "preview.requested", "dly_1", Body, TestContext.Current.CancellationToken);

        answer.Status.ShouldBe(ToolWebhookStatus.Ok, answer.Detail);
        answer.Json.ShouldNotBeNull().GetProperty("summary").GetString().ShouldBe("moves 40 EUR");
        var received = tool.Received.ShouldHaveSingleItem();
        (received.Event, received.Delivery).ShouldBe(("preview.requested", "dly_1"));
        received.Body.ShouldBe(Body);
        var signatures = app.Services.GetRequiredService<ToolWebhookSignature>();
        signatures.Check(received.Signature, received.Body, url).ShouldBeNull();
    }

    [Fact]
    public async Task TheSignature_DoesNotCoverAnotherBody_AnotherAudience_OrAForgery()
    {
        await using var tool = await FakeTool.StartAsync();
        var url = tool.At("/ok");
        await Webhooks().PostAsync(url, "rollback.requested", "dly_2", Body, TestContext.Current.CancellationToken);
        var received = tool.Received.ShouldHaveSingleItem();
        var signatures = app.Services.GetRequiredService<ToolWebhookSignature>();
        var parts = received.Signature.Split('.');

        signatures.Check(received.Signature, """{"decision":"dec_2"}"""u8.ToArray(), url).ShouldBe("the body is not the one signed");
        signatures.Check(received.Signature, received.Body, new Uri("https://elsewhere.example.com/hook")).ShouldBe("for another audience");
        signatures.Check(parts[0] + "." + parts[1] + "." + parts[2][..^4] + "AAAA", received.Body, url).ShouldNotBeNull();
        signatures.Check(received.Signature.Replace('.', '_'), received.Body, url).ShouldNotBeNull();
    }

    [Theory]
    [InlineData("/fail", ToolWebhookStatus.BadStatus)]
    [InlineData("/garbage", ToolWebhookStatus.BadBody)]
    [InlineData("/huge", ToolWebhookStatus.BadBody)]
    [InlineData("/slow", ToolWebhookStatus.TimedOut)]
    public async Task AToolThatMisbehaves_GivesAnAnswerThatSaysHow_NeverAnException(string path, ToolWebhookStatus expected)
    {
        await using var tool = await FakeTool.StartAsync();

        var answer = await Webhooks(timeoutSeconds: 1).PostAsync(tool.At(path), "preview.requested", "dly_3", Body, TestContext.Current.CancellationToken);

        answer.Status.ShouldBe(expected, answer.Detail);
        answer.IsOk.ShouldBeFalse();
        answer.Json.ShouldBeNull();
        answer.Detail.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task AToolThatIsDown_IsUnreachable()
    {
        var answer = await Webhooks().PostAsync(new Uri($"http://127.0.0.1:{ClosedPort()}/hook"), "rollback.requested", "dly_4", Body, TestContext.Current.CancellationToken);

        answer.Status.ShouldBe(ToolWebhookStatus.Unreachable, answer.Detail);
        answer.HttpStatus.ShouldBeNull();
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[fe80::1]/hook")]
    public async Task AToolAddressOnTheMetadataServiceOrUnspecified_IsNeverContacted(string url)
    {
        var answer = await Webhooks().PostAsync(new Uri(url), "preview.requested", "dly_5", Body, TestContext.Current.CancellationToken);

        answer.Status.ShouldBe(ToolWebhookStatus.Unreachable, answer.Detail);
        answer.Detail.ShouldContain("does not send tool requests to");
    }

    [Theory]
    [InlineData("169.254.169.254", true)]
    [InlineData("::ffff:169.254.169.254", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("224.0.0.1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("::1", false)]
    public void WhichAddressesAreRefused(string address, bool refused) =>
        ToolWebhookHandler.IsRefused(System.Net.IPAddress.Parse(address)).ShouldBe(refused);

    [Fact]
    public async Task ARedirect_IsNotFollowed_ItIsAnAnswerOfItsOwn()
    {
        await using var tool = await FakeTool.StartAsync();

        var answer = await Webhooks().PostAsync(tool.At("/moved"), "rollback.requested", "dly_6", Body, TestContext.Current.CancellationToken);

        answer.Status.ShouldBe(ToolWebhookStatus.BadStatus, answer.Detail);
        answer.HttpStatus.ShouldBe(307);
        tool.Received.Count.ShouldBe(1, "only the first address was asked");
    }

    private ToolWebhooks Webhooks(int timeoutSeconds = 5) => new(
        app.Services.GetRequiredService<IHttpClientFactory>(),
        Options.Create(new ToolHookOptions { WebhookTimeoutSeconds = timeoutSeconds }),
        app.Services.GetRequiredService<ToolWebhookSignature>());

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed record Received(string Event, string Delivery, string Signature, byte[] Body);

    /// <summary>A tool's endpoints on Kestrel: one that answers, and one for each way of failing.</summary>
    private sealed class FakeTool : IAsyncDisposable
    {
        private LocalEndpoint _endpoint = null!;

        public ConcurrentQueue<Received> Received { get; } = new();

        public Uri At(string path) => new(_endpoint.BaseAddress + path);

        public static async Task<FakeTool> StartAsync()
        {
            var tool = new FakeTool();
            tool._endpoint = await LocalEndpoint.StartAsync(app =>
            {
                app.MapPost("/ok", async context =>
                {
                    await tool.RecordAsync(context);
                    await context.Response.WriteAsJsonAsync(new { summary = "moves 40 EUR" });
                });
                app.MapPost("/moved", async context =>
                {
                    await tool.RecordAsync(context);
                    context.Response.StatusCode = 307;
                    context.Response.Headers.Location = "/ok";
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
                app.MapPost("/huge", async context =>
                {
                    await tool.RecordAsync(context);
                    await context.Response.WriteAsync("[\"" + new string('x', ToolWebhooks.MaxBodyBytes + 10) + "\"]");
                });
                app.MapPost("/slow", async context =>
                {
                    await tool.RecordAsync(context);
                    await Task.Delay(TimeSpan.FromSeconds(4), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
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
