using Warden.Domain.People;

namespace Warden.Features.Agents;

public static class AgentEndpoints
{
    public static IEndpointRouteBuilder MapAgentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/agents/export/{format}", ExportAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.SecurityOfficer, Roles.Auditor, Roles.Administrator));
        return app;
    }

    private static async Task ExportAsync(string format, HttpContext context, AgentExportService exports, TimeProvider clock)
    {
        if (!Enum.TryParse<ExportFormat>(format, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
        {
            await Results.Problem(statusCode: 404, title: "Unknown export format", detail: "Use csv or json.").ExecuteAsync(context);
            return;
        }
        var allowed = await exports.AuthorizeExportAsync();
        if (allowed.IsFailure)
        {
            await Results.Problem(statusCode: 403, title: "Export refused", detail: allowed.Error.Message).ExecuteAsync(context);
            return;
        }
        var extension = parsed.ToString().ToLowerInvariant();
        context.Response.ContentType = parsed == ExportFormat.Csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"warden-agents-{clock.GetUtcNow():yyyyMMdd-HHmmss}.{extension}\"";
        await exports.ExportAsync(parsed, context.Response.Body, context.RequestAborted);
    }
}
