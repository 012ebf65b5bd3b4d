using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Rollback;

/// <summary>One call of a compensating action as the tool saw it.</summary>
internal sealed record CompensationCall(string Path, string DeliveryId, string Event, string Signature, byte[] Body);

/// <summary>
/// A tool's compensating endpoint on a real Kestrel port. Each path answers its own way: <c>/ok</c>
/// undoes, <c>/error</c> answers 500 with a body naming a person, <c>/garbage</c> answers 200 with
/// text that is not JSON, <c>/slow</c> answers after <see cref="SlowDelay"/>, <c>/refuses</c> answers
/// 200 saying it could not, <c>/flaky</c> fails the first call of every delivery id and undoes the next.
/// </summary>
internal sealed class CompensationReceiver : IAsyncDisposable
{
    public static readonly TimeSpan SlowDelay = TimeSpan.FromSeconds(4);

    private LocalEndpoint _endpoint = null!;
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);

    public ConcurrentQueue<CompensationCall> Calls { get; } = new();

    /// <summary>How long <c>/ok</c> takes, so that two asks can overlap a call under way.</summary>
    public TimeSpan OkDelay { get; set; } = TimeSpan.Zero;

    public Uri Url(string path) =>
        new(_endpoint.BaseAddress + path);

    /// <summary>An address where nothing listens.</summary>
    public static Uri Down()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/undo");
    }

    public IReadOnlyList<CompensationCall> CallsFor(string deliveryId) => [.. Calls.Where(c => c.DeliveryId == deliveryId)];

    public static async Task<CompensationReceiver> StartAsync()
    {
        var receiver = new CompensationReceiver();
        receiver._endpoint = await LocalEndpoint.StartAsync(app =>
        {
            app.MapPost("/{mode}", receiver.ReceiveAsync);
        });
        return receiver;
    }

    private async Task ReceiveAsync(HttpContext context, string mode)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var id = context.Request.Headers["Warden-Delivery"].ToString();
        Calls.Enqueue(new CompensationCall("/" + mode, id, context.Request.Headers["Warden-Event"].ToString(),
                                           context.Request.Headers["Warden-Signature"].ToString(), buffer.ToArray()));
        var attempt = _attempts.AddOrUpdate(id, 1, (_, n) => n + 1);
        switch (mode)
        {
            case "ok":
                await Task.Delay(OkDelay, context.RequestAborted);
                await Json(context, 200, """{"status":"undone","reference":"refund-7731"}""");
                break;
            case "error":
                await Json(context, 500, """{"error":"ledger locked","contact":"jane.doe@example.com"}""");
                break;
            case "garbage":
                context.Response.StatusCode = 200;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html>proxy error</html>");
                break;
            case "slow":
                await Task.Delay(SlowDelay, context.RequestAborted);
                await Json(context, 200, """{"status":"undone"}""");
                break;
            case "refuses":
                await Json(context, 200, """{"status":"failed","reason":"already settled"}""");
                break;
            case "flaky":
                await Json(context, attempt == 1 ? 503 : 200, attempt == 1 ? """{"error":"try later"}""" : """{"status":"undone"}""");
                break;
            default:
                context.Response.StatusCode = 404;
                break;
        }
    }

    private static async Task Json(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    public ValueTask DisposeAsync() => _endpoint.DisposeAsync();
}
