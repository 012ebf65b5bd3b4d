using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Notifications;

internal sealed record ChatPost(string Channel, JsonElement Body, int Status);

/// <summary>
/// A real Kestrel endpoint standing in for Slack's and Teams' incoming webhooks. The first post to
/// each message to each channel is refused with a 503, so chat delivery must retry to arrive.
/// </summary>
internal sealed class ChatReceiver : IAsyncDisposable
{
    private LocalEndpoint _endpoint = null!;
    private readonly ConcurrentDictionary<string, int> _posts = new(StringComparer.Ordinal);

    public ConcurrentQueue<ChatPost> Posts { get; } = new();

    public string UrlOf(string channel) =>
        _endpoint.BaseAddress + "/hooks/" + channel;

    public static async Task<ChatReceiver> StartAsync()
    {
        var receiver = new ChatReceiver();
        receiver._endpoint = await LocalEndpoint.StartAsync(app =>
        {
            app.MapPost("/hooks/{channel}", receiver.ReceiveAsync);
        });
        return receiver;
    }

    private async Task ReceiveAsync(HttpContext context, string channel)
    {
        var body = await JsonDocument.ParseAsync(context.Request.Body);
        var status = _posts.AddOrUpdate(channel + " " + body.RootElement.GetRawText(), 1, (_, n) => n + 1) == 1 ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        Posts.Enqueue(new ChatPost(channel, body.RootElement.Clone(), status));
        context.Response.StatusCode = status;
    }

    public ValueTask DisposeAsync() => _endpoint.DisposeAsync();
}
