using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Warden.Persistence;

/// <summary>
/// Builds each provider's context the way the app does, without starting the app: Identity reads its
/// schema version from the application services, so the factories supply that one option.
/// </summary>
public static class DesignTimeModel
{
    public static DbContextOptions<TContext> Options<TContext>(Action<DbContextOptionsBuilder<TContext>> provider)
        where TContext : DbContext
    {
        var services = new ServiceCollection()
            .Configure<IdentityOptions>(o => o.Stores.SchemaVersion = WardenDbContext.IdentitySchema)
            .BuildServiceProvider();
        var builder = new DbContextOptionsBuilder<TContext>().UseApplicationServiceProvider(services);
        provider(builder);
        return builder.Options;
    }
}

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteWardenDbContext>
{
    public SqliteWardenDbContext CreateDbContext(string[] args) =>
        new(DesignTimeModel.Options<SqliteWardenDbContext>(b => b.UseSqlite("Data Source=design-time.db")));
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresWardenDbContext>
{
    public PostgresWardenDbContext CreateDbContext(string[] args) =>
        new(DesignTimeModel.Options<PostgresWardenDbContext>(b => b.UseNpgsql("Host=localhost;Database=warden_design")));
}
