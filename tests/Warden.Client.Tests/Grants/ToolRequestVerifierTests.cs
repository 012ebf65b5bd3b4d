using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Warden.Client.Tests.Support;
using Warden.Features.Tools;

namespace Warden.Client.Tests.Grants;

/// <summary>
/// A tool checks that a request to its endpoint (a preview to give, an action to undo) comes from
/// Warden: the running console signs it, a tool endpoint on Kestrel receives it, and the client
/// library verifies it with the console's published keys.
/// </summary>
public sealed class ToolRequestVerifierTests(WardenHost host)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARequestSignedByTheConsole_Verifies_AndAnyChangeToIt_IsRefused()
    {
        await using var tool = await ToolEndpoint.StartAsync();
        var body = Encoding.UTF8.GetBytes("""{"decision":"dec_live","rollback":"rbk_1"}""");
        var webhooks = host.Services.GetRequiredService<ToolWebhooks>();
        var answer = await webhooks.PostAsync(tool.Url, "rollback.requested", "rbk_1", body, Cancel);
        answer.IsOk.ShouldBeTrue(answer.Detail);
        var (signature, received) = tool.Received.ShouldHaveSingleItem();
        using var verifier = GrantVerifier.Create(new GrantVerifierOptions { BaseAddress = host.BaseAddress });

        var valid = await verifier.VerifyToolRequestAsync(signature, received, tool.Url, Cancel);
        var otherBody = await verifier.VerifyToolRequestAsync(signature, Encoding.UTF8.GetBytes("""{"decision":"dec_other"}"""), tool.Url, Cancel);
        var otherTool = await verifier.VerifyToolRequestAsync(signature, received, new Uri("https://payments.example.com/undo"), Cancel);
        var parts = signature.Split('.');
        var flipped = parts[2][..^2] + (parts[2][^2] == 'A' ? "B" : "A") + parts[2][^1];
        var forged = await verifier.VerifyToolRequestAsync($"{parts[0]}.{parts[1]}.{flipped}", received, tool.Url, Cancel);
        var missing = await verifier.VerifyToolRequestAsync(null, received, tool.Url, Cancel);

        valid.IsValid.ShouldBeTrue(valid.Detail);
        (valid.Event, valid.DeliveryId).ShouldBe(("rollback.requested", "rbk_1"));
        otherBody.Failure.ShouldBe(GrantFailure.WrongCall);
        otherTool.Failure.ShouldBe(GrantFailure.WrongAudience);
        forged.Failure.ShouldBe(GrantFailure.BadSignature);
        missing.Failure.ShouldBe(GrantFailure.Malformed);
    }

    [Fact]
    public async Task AGrant_IsNotARequestSignature_ThoughTheSameKeySignedIt()
    {
        using var agent = host.ClientFor();
        var call = WardenAsk.For("tickets.read", "read", $"helpdesk/tickets/{Random.Shared.Next(100_000, 999_999)}");
        var decision = await agent.AskAsync(call, cancellationToken: Cancel);
        using var verifier = GrantVerifier.Create(new GrantVerifierOptions { BaseAddress = host.BaseAddress });

        var result = await verifier.VerifyToolRequestAsync(decision.Grant!.Token, "{}"u8.ToArray(), new Uri("http://127.0.0.1:9/hook"), Cancel);

        result.Failure.ShouldBe(GrantFailure.WrongType);
    }

    /// <summary>A tool's endpoint on Kestrel that keeps what it received and answers as a tool would.</summary>
    private sealed class ToolEndpoint : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private ToolEndpoint(WebApplication app, Uri url)
        {
            _app = app;
            Url = url;
        }

        public Uri Url { get; }

        public ConcurrentQueue<(string Signature, byte[] Body)> Received { get; } = new();

        public static async Task<ToolEndpoint> StartAsync()
        {
            var port = FreePort();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var endpoint = new ToolEndpoint(app, new Uri($"http://127.0.0.1:{port}/undo"));
            app.MapPost("/undo", async context =>
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer);
                endpoint.Received.Enqueue((context.Request.Headers[ToolWebhooks.SignatureHeader].ToString(), buffer.ToArray()));
                await context.Response.WriteAsJsonAsync(new { status = "undone" });
            });
            await app.StartAsync();
            return endpoint;
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
