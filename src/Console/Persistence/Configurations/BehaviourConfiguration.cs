using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Features.Behaviour;

namespace Warden.Persistence.Configurations;

internal sealed class AnomalyAlertConfiguration : IEntityTypeConfiguration<AnomalyAlert>
{
    public void Configure(EntityTypeBuilder<AnomalyAlert> builder)
    {
        builder.ToTable("AnomalyAlerts");
        builder.Property(a => a.Id).HasMaxLength(40);
        builder.Property(a => a.AgentId).HasMaxLength(40);
        builder.Property(a => a.DecisionId).HasMaxLength(40);
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.Severity).HasConversion<string>().HasMaxLength(10);
        builder.Property(a => a.Explanation).HasMaxLength(AnomalyAlert.MaxExplanationLength);
        builder.Property(a => a.ContainmentId).HasMaxLength(40);
        builder.HasIndex(a => a.DetectedAt);
        builder.HasIndex(a => new { a.AgentId, a.DetectedAt });
        builder.HasIndex(a => a.DecisionId);
    }
}

internal sealed class AgentBaselineRecordConfiguration : IEntityTypeConfiguration<AgentBaselineRecord>
{
    public void Configure(EntityTypeBuilder<AgentBaselineRecord> builder)
    {
        builder.ToTable("AgentBaselines");
        builder.HasKey(b => b.AgentId);
        builder.Property(b => b.AgentId).HasMaxLength(40);
    }
}
