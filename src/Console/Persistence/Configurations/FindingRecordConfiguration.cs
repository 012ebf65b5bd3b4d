using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Features.Guardrails;

namespace Warden.Persistence.Configurations;

internal sealed class FindingRecordConfiguration : IEntityTypeConfiguration<FindingRecord>
{
    public void Configure(EntityTypeBuilder<FindingRecord> builder)
    {
        builder.ToTable("GuardrailFindings");
        builder.Property(f => f.DecisionId).HasMaxLength(40);
        builder.Property(f => f.AgentId).HasMaxLength(40);
        builder.Property(f => f.Stage).HasMaxLength(10);
        builder.Property(f => f.Kind).HasMaxLength(80);
        builder.Property(f => f.Scanner).HasMaxLength(64);
        builder.Property(f => f.PatternId).HasMaxLength(100);
        builder.Property(f => f.Location).HasMaxLength(200);
        builder.Property(f => f.Excerpt).HasMaxLength(200);
        builder.Property(f => f.Review).HasConversion<string>().HasMaxLength(16);
        builder.Property(f => f.ReviewedBy).HasMaxLength(450);
        builder.Property(f => f.ReviewedByName).HasMaxLength(200);
        builder.Property(f => f.ReviewNote).HasMaxLength(1000);
        builder.Property<int>("Version").IsConcurrencyToken();
        builder.Ignore(f => f.Family);
        builder.HasIndex(f => f.DecisionId);
        builder.HasIndex(f => new { f.Review, f.FoundAt });
        builder.HasIndex(f => new { f.AgentId, f.FoundAt });
        builder.HasIndex(f => new { f.Scanner, f.PatternId });
    }
}
