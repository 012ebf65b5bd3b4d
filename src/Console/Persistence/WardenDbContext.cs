using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Warden.Infrastructure.Identity;
using Warden.Infrastructure.Jobs;

namespace Warden.Persistence;

/// <summary>
/// The one model of Warden. Each database provider has a thin subclass with its own migrations,
/// because generated column types and snapshots differ between providers.
/// </summary>
public abstract class WardenDbContext(DbContextOptions options) : IdentityDbContext<ApplicationUser>(options)
{
    public DbSet<HousekeepingRun> HousekeepingRuns => Set<HousekeepingRun>();

    /// <summary>Identity's schema (version 3 has passkeys); the app and the design-time factories both use it.</summary>
    public static readonly Version IdentitySchema = IdentitySchemaVersions.Version3;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(WardenDbContext).Assembly);
        builder.Entity<ApplicationUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(200);
            user.HasIndex(u => u.IsDisabled);
        });
    }
}
