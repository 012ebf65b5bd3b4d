using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Infrastructure.Jobs;

namespace Warden.Persistence.Configurations;

internal sealed class HousekeepingRunConfiguration : IEntityTypeConfiguration<HousekeepingRun>
{
    public void Configure(EntityTypeBuilder<HousekeepingRun> builder)
    {
        builder.ToTable("HousekeepingRuns");
        builder.Property(r => r.Detail).HasMaxLength(500);
        builder.HasIndex(r => r.StartedAt);
    }
}
