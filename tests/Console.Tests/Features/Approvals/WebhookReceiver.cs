using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Warden.Features.Notifications;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Approvals;

/// <summary>One delivery attempt as the receiver saw it.</summary>
internal sealed record Delivery(string Id, string Event, string Body, bool SignatureValid, int Status);

/// <summary>
/// A real HTTP endpoint on Kestrel standing in for a team's chat or paging bridge. It refuses the
/// first attempt of every delivery id with a 500, so every notification must be retried to arrive.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private LocalEndpoint _endpoint = null!;
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);

    private WebhookReceiver(string secret)
    {
        Secret = secret;
    }

    public string Secret { get; }

    public ConcurrentQueue<Delivery> Deliveries { get; } = new();

    public string Url => _endpoint.BaseAddress + "/hooks/warden";

    public static async Task<WebhookReceiver> StartAsync(string secret)
    {
        var receiver = new WebhookReceiver(secret);
        receiver._endpoint = await LocalEndpoint.StartAsync(app =>
        {
            app.MapPost("/hooks/warden", receiver.ReceiveAsync);
        });
        return receiver;
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var id = context.Request.Headers[WebhookDeliveryJob.DeliveryHeader].ToString();
        var signature = context.Request.Headers[WebhookDeliveryJob.SignatureHeader].ToString();
        var valid = signature == WebhookDeliveryJob.Sign(Secret, body);
        var attempt = _attempts.AddOrUpdate(id, 1, (_, n) => n + 1);
        var status = attempt == 1 ? StatusCodes.Status500InternalServerError : StatusCodes.Status204NoContent;
        Deliveries.Enqueue(new Delivery(id, context.Request.Headers[WebhookDeliveryJob.EventHeader].ToString(),
                                        System.Text.Encoding.UTF8.GetString(body), valid, status));
        context.Response.StatusCode = status;
    }

    public ValueTask DisposeAsync() => _endpoint.DisposeAsync();
}
