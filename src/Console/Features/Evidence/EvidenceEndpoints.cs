namespace Warden.Features.Evidence;

public static class EvidenceEndpoints
{
    /// <summary>
    /// Downloads for signed-in people. The route admits the roles that may read packs; the service then
    /// checks the pack's recipients and scope and records the download before any byte is sent.
    /// </summary>
    public static IEndpointRouteBuilder MapEvidenceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/evidence/packs/{id}/{artifact}", DownloadAsync)
            .RequireAuthorization(policy => policy.RequireRole(EvidenceAccess.Readers));
        app.MapGet("/evidence/signing-key", (EvidenceSigningKey key) =>
                Results.File(System.Text.Encoding.ASCII.GetBytes(key.PublicKeyPem), "application/x-pem-file", "warden-evidence-signing-key.pem"))
            .RequireAuthorization();
        return app;
    }

    private static async Task<IResult> DownloadAsync(string id, string artifact, EvidenceService packs, CancellationToken cancellationToken)
    {
        // An appendix volume is asked for as appendix-<number>, e.g. /evidence/packs/evp_…/appendix-3.
        var volume = artifact.StartsWith("appendix-", StringComparison.OrdinalIgnoreCase) ? EvidenceFiles.VolumeNumber(artifact + ".pdf") : null;
        EvidenceArtifact parsed = default;
        if (volume is null && (!Enum.TryParse(artifact, ignoreCase: true, out parsed) || !Enum.IsDefined(parsed)))
            return Results.Problem(statusCode: 404, title: "Unknown artifact", detail: EvidenceErrors.UnknownArtifact(artifact).Message);
        var download = volume is { } number
            ? await packs.DownloadVolumeAsync(id, number, cancellationToken)
            : await packs.DownloadAsync(id, parsed, cancellationToken);
        if (download.IsSuccess)
            return Results.Stream(body => download.Value.WriteToAsync(body, cancellationToken), download.Value.ContentType, download.Value.FileName);
        var status = download.Error.Code switch
        {
            "evidence.pack_not_found" or "evidence.files_missing" or "evidence.no_such_volume" or "evidence.unknown_artifact" => 404,
            "evidence.not_ready" => 409,
            _ => 403,
        };
        return Results.Problem(statusCode: status, title: "Download refused", detail: download.Error.Message);
    }
}
