using Microsoft.EntityFrameworkCore;
using Warden.Persistence;

namespace Warden.Tests.Persistence;

/// <summary>Each provider keeps its own migrations; a model change without a migration for both fails here.</summary>
public sealed class ModelMigrationTests
{
    [Fact]
    public void SqliteContext_HasNoPendingModelChanges()
    {
        using var context = new SqliteWardenDbContext(
            DesignTimeModel.Options<SqliteWardenDbContext>(b => b.UseSqlite("Data Source=:memory:")));

        var pending = context.Database.HasPendingModelChanges();

        pending.ShouldBeFalse("regenerate the baseline (docs/decisions/0014-baseline-migration.md): dotnet ef migrations add Baseline --project src/Console --context SqliteWardenDbContext --output-dir Persistence/Migrations/Sqlite");
    }

    [Fact]
    public void PostgresContext_HasNoPendingModelChanges()
    {
        using var context = new PostgresWardenDbContext(
            DesignTimeModel.Options<PostgresWardenDbContext>(b => b.UseNpgsql("Host=localhost;Database=x")));

        var pending = context.Database.HasPendingModelChanges();

        pending.ShouldBeFalse("regenerate the baseline (docs/decisions/0014-baseline-migration.md): dotnet ef migrations add Baseline --project src/Console --context PostgresWardenDbContext --output-dir Persistence/Migrations/Postgres");
    }

    [Fact]
    public void SqliteContext_HasMigrations()
    {
        using var context = new SqliteWardenDbContext(
            DesignTimeModel.Options<SqliteWardenDbContext>(b => b.UseSqlite("Data Source=:memory:")));

        var migrations = context.Database.GetMigrations();

        migrations.ShouldNotBeEmpty();
    }

    [Fact]
    public void PostgresContext_HasMigrations()
    {
        using var context = new PostgresWardenDbContext(
            DesignTimeModel.Options<PostgresWardenDbContext>(b => b.UseNpgsql("Host=localhost;Database=x")));

        var migrations = context.Database.GetMigrations();

        migrations.ShouldNotBeEmpty();
    }
}
