using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Domain;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.AuditLog.Stream;

/// <summary>Where the audit stream stands, for the people who rely on it reaching the SIEM.</summary>
public sealed record AuditStreamState(
    bool Enabled, string? Destination, string Format, long Delivered, long Newest, DateTimeOffset? UpdatedAt, string? LastError, DateTimeOffset? FailingSince)
{
    public long Behind => Math.Max(0, Newest - Delivered);

    public bool Failing => LastError is not null;
}

public sealed class AuditStreamStatus(AccessGuard access, IDbContextFactory<WardenDbContext> contexts, IOptions<AuditStreamOptions> options)
{
    public async Task<Result<AuditStreamState>> GetAsync(CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireAsync(AuditAccess.Readers);
        if (actor.IsFailure)
            return actor.Error;
        var settings = options.Value;
        var destination = settings.Enabled ? $"{(settings.Tls ? "tls" : "tcp")}://{settings.Host}:{settings.Port}" : null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var cursor = await db.AuditStreamCursors.AsNoTracking().SingleOrDefaultAsync(c => c.Name == AuditStreamCursor.DefaultName, cancellationToken);
        var newest = await db.AuditEvents.MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
        return new AuditStreamState(settings.Enabled, destination, settings.Format.ToString().ToUpperInvariant(), cursor?.Delivered ?? 0, newest,
            cursor?.UpdatedAt, cursor?.LastError, cursor?.FailingSince);
    }
}

public static class AuditStreamRegistration
{
    public static IServiceCollection AddAuditStream(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuditStreamOptions>()
            .Bind(configuration.GetSection(AuditStreamOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHostedService<AuditStreamer>();
        services.AddScoped<AuditStreamStatus>();
        return services;
    }
}
