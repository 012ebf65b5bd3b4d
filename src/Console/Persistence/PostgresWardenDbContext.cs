using Microsoft.EntityFrameworkCore;

namespace Warden.Persistence;

public sealed class PostgresWardenDbContext(DbContextOptions<PostgresWardenDbContext> options) : WardenDbContext(options);
