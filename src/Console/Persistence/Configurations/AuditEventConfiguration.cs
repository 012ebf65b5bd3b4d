using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Domain.Audit;
using Warden.Features.AuditLog;

namespace Warden.Persistence.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("AuditEvents");
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).ValueGeneratedNever();
        builder.Property(e => e.ActorKind).HasConversion<string>().HasMaxLength(10);
        builder.Property(e => e.ActorId).HasMaxLength(100);
        builder.Property(e => e.ActorName).HasMaxLength(256).IsRequired();
        builder.Property(e => e.Kind).HasMaxLength(100).IsRequired();
        builder.Property(e => e.Subject).HasMaxLength(100).IsRequired();
        builder.Property(e => e.Data).IsRequired();
        builder.Property(e => e.PreviousHash).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Hash).HasMaxLength(64).IsRequired();
        builder.Ignore(e => e.Fields);
        builder.HasIndex(e => new { e.Subject, e.Sequence });
        builder.HasIndex(e => new { e.Kind, e.Sequence });
        builder.HasIndex(e => new { e.ActorId, e.Sequence });
        builder.HasIndex(e => new { e.ActorName, e.Sequence });
        builder.HasIndex(e => e.At);
    }
}

internal sealed class AuditCheckpointConfiguration : IEntityTypeConfiguration<AuditCheckpoint>
{
    public void Configure(EntityTypeBuilder<AuditCheckpoint> builder)
    {
        builder.ToTable("AuditCheckpoints");
        builder.HasKey(c => c.Sequence);
        builder.Property(c => c.Sequence).ValueGeneratedNever();
        builder.Property(c => c.Hash).HasMaxLength(64).IsRequired();
        builder.Property(c => c.Signature).HasMaxLength(64).IsRequired();
    }
}

internal sealed class AuditTimeOrderMarkConfiguration : IEntityTypeConfiguration<AuditTimeOrderMark>
{
    public void Configure(EntityTypeBuilder<AuditTimeOrderMark> builder)
    {
        builder.ToTable("AuditTimeOrder");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
    }
}
