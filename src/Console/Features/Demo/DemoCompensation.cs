using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Warden.Domain.Audit;
using Warden.Domain.Tools;
using Warden.Features.AuditLog;
using Warden.Features.Tools;
using Warden.Persistence;

namespace Warden.Features.Demo;

/// <summary>
/// With <c>--demo</c>, a tool with a compensating action: the support agent's <c>tickets.reply</c>,
/// whose reply the demo "withdraws" at <see cref="Path"/>, an endpoint of the app itself that checks
/// Warden's signature as a real tool would and answers what it undid. Seeded as the tool's hook once.
/// </summary>
public static class DemoCompensation
{
    public const string Tool = "tickets.reply";
    public const string Path = "/demo/tools/tickets-reply/undo";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static WebApplication MapDemoCompensation(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Machines call it with Warden's signature, not a person's session: the signature is the guard.
        app.MapPost(Path, UndoAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>Declares the compensating webhook of <see cref="Tool"/> at <paramref name="baseUrl"/>, unless the tool already has a hook of its own.</summary>
    public static async Task SeedAsync(IServiceProvider services, string baseUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!Uri.TryCreate(baseUrl.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("0.0.0.0", "localhost"), UriKind.Absolute, out var site)
            || site.Port == 0)
            return;
        var url = new Uri(site, Path);
        await using var db = await services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(cancellationToken);
        var existing = await db.ToolHooks.SingleOrDefaultAsync(h => h.Tool == Tool, cancellationToken);
        if (existing is not null && (existing.CompensationUrl?.AbsolutePath != Path || existing.CompensationUrl == url))
            return;
        var hook = new ToolHook(Tool, existing?.Preview ?? PreviewSource.None, existing?.PreviewUrl, url, null);
        if (existing is null)
            db.ToolHooks.Add(hook);
        else
            db.Entry(existing).CurrentValues.SetValues(hook);
        await services.GetRequiredService<AuditWriter>().AppendAsync(db,
            [AuditEntry.Of(AuditActor.System, "tool.hook_saved", "tool:" + Tool, new { tool = Tool, compensationUrl = url.ToString(), demo = true })], cancellationToken);
        services.GetRequiredService<ToolHooks>().Invalidate();
    }

    private static async Task<IResult> UndoAsync(HttpContext context, ToolWebhookSignature signatures)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var audience = new Uri($"{context.Request.Scheme}://{context.Request.Host}");
        if (signatures.Check(context.Request.Headers[ToolWebhooks.SignatureHeader], body, audience) is { } refused)
            return Results.Json(new { status = "refused", reason = $"signature: {refused}" }, Json, statusCode: StatusCodes.Status401Unauthorized);
        var ticket = TicketOf(body);
        if (ticket is null)
            return Results.Json(new { status = "failed", reason = "no ticketId in the recorded parameters" }, Json, statusCode: StatusCodes.Status422UnprocessableEntity);
        return Results.Json(new
        {
            status = "undone",
            withdrawn = $"reply to ticket {ticket}",
            delivery = context.Request.Headers[ToolWebhooks.DeliveryHeader].ToString(),
        }, Json);
    }

    private static string? TicketOf(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("decision", out var decision)
                   && decision.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
                   && parameters.TryGetProperty("ticketId", out var ticket) && ticket.ValueKind == JsonValueKind.String
                ? ticket.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
