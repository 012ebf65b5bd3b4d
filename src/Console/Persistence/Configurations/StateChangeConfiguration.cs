using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Infrastructure.Cluster;

namespace Warden.Persistence.Configurations;

internal sealed class StateChangeConfiguration : IEntityTypeConfiguration<StateChange>
{
    public void Configure(EntityTypeBuilder<StateChange> builder)
    {
        builder.ToTable("StateChanges");
        builder.HasKey(s => s.Epoch);
        // Assigned by the audit writer under the chain's lock: consecutive and in commit order.
        builder.Property(s => s.Epoch).ValueGeneratedNever();
        builder.Property(s => s.Changed).HasMaxLength(400);
    }
}
