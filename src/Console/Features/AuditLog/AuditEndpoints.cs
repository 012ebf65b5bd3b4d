namespace Warden.Features.AuditLog;

public static class AuditEndpoints
{
    /// <summary>
    /// The verification for auditors' tools. Not under /api/*, where cookies are never accepted: it is
    /// a signed-in person's request, answered as JSON. No file extension in the path, so the route
    /// matrix (which skips static-file-like paths) checks who may reach it.
    /// </summary>
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/audit/verify", VerifyAsync)
            .RequireAuthorization(policy => policy.RequireRole(AuditAccess.Verifiers));
        return app;
    }

    private static async Task<IResult> VerifyAsync(AuditVerificationService verification, CancellationToken cancellationToken)
    {
        var report = await verification.VerifyAsync(cancellationToken);
        return report.IsSuccess
            ? Results.Json(report.Value)
            : Results.Problem(statusCode: 403, title: "Verification refused", detail: report.Error.Message);
    }
}
