using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Features.Decisions;

namespace Warden.Persistence.Configurations;

internal sealed class AgentUsageConfiguration : IEntityTypeConfiguration<AgentUsage>
{
    public void Configure(EntityTypeBuilder<AgentUsage> builder)
    {
        builder.ToTable("AgentUsage");
        builder.HasKey(u => u.AgentId);
        builder.Property(u => u.AgentId).HasMaxLength(64);
        builder.Property(u => u.Amount).HasPrecision(18, 4);
    }
}
