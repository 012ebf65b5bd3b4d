using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Warden.Tests.Features.Notifications;

internal sealed record ChatPost(string Channel, JsonElement Body, int Status);

/// <summary>
/// A real Kestrel endpoint standing in for Slack's and Teams' incoming webhooks. The first post to
/// each message to each channel is refused with a 503, so chat delivery must retry to arrive.
/// </summary>
internal sealed class ChatReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _posts = new(StringComparer.Ordinal);

    private ChatReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ChatPost> Posts { get; } = new();

    public string UrlOf(string channel) =>
        _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hooks/" + channel;

    public static async Task<ChatReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new ChatReceiver(app);
        app.MapPost("/hooks/{channel}", receiver.ReceiveAsync);
        await app.StartAsync();
        return receiver;
    }

    private async Task ReceiveAsync(HttpContext context, string channel)
    {
        var body = await JsonDocument.ParseAsync(context.Request.Body);
        var status = _posts.AddOrUpdate(channel + " " + body.RootElement.GetRawText(), 1, (_, n) => n + 1) == 1 ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        Posts.Enqueue(new ChatPost(channel, body.RootElement.Clone(), status));
        context.Response.StatusCode = status;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
