using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Features.Evidence;

namespace Warden.Persistence.Configurations;

internal sealed class EvidenceDefinitionConfiguration : IEntityTypeConfiguration<EvidenceDefinition>
{
    public void Configure(EntityTypeBuilder<EvidenceDefinition> builder)
    {
        builder.ToTable("EvidenceDefinitions");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).HasMaxLength(40);
        builder.Property(d => d.Name).HasMaxLength(120).IsRequired();
        builder.Property(d => d.Scope).HasConversion<string>().HasMaxLength(12);
        builder.Property(d => d.ScopeTarget).HasMaxLength(450);
        builder.Property(d => d.Framework).HasMaxLength(60);
        builder.Property(d => d.Period).HasConversion<string>().HasMaxLength(12);
        builder.Property(d => d.Cron).HasMaxLength(100).IsRequired();
        builder.Property(d => d.TimeZone).HasMaxLength(100).IsRequired();
        builder.Property(d => d.RecipientRoles).HasMaxLength(200).IsRequired();
        builder.Property(d => d.CreatedBy).HasMaxLength(256).IsRequired();
        builder.Ignore(d => d.Recipients);
        builder.Ignore(d => d.RecurringJobId);
    }
}

internal sealed class EvidencePackConfiguration : IEntityTypeConfiguration<EvidencePack>
{
    public void Configure(EntityTypeBuilder<EvidencePack> builder)
    {
        builder.ToTable("EvidencePacks");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasMaxLength(40);
        builder.Property(p => p.Key).HasMaxLength(600).IsRequired();
        builder.HasIndex(p => p.Key).IsUnique();
        builder.Property(p => p.DefinitionId).HasMaxLength(40);
        builder.Property(p => p.Title).HasMaxLength(300).IsRequired();
        builder.Property(p => p.Scope).HasConversion<string>().HasMaxLength(12);
        builder.Property(p => p.ScopeTarget).HasMaxLength(450);
        builder.Property(p => p.Framework).HasMaxLength(60);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(12);
        builder.Property(p => p.RecipientRoles).HasMaxLength(200).IsRequired();
        builder.Property(p => p.RequestedBy).HasMaxLength(256).IsRequired();
        builder.Property(p => p.PdfSha256).HasMaxLength(64);
        builder.Property(p => p.CompletenessNotes).HasMaxLength(2000);
        builder.Property(p => p.Error).HasMaxLength(2000);
        builder.HasIndex(p => p.RequestedAt);
        builder.HasIndex(p => new { p.DefinitionId, p.PeriodStart });
        builder.Ignore(p => p.Recipients);
        builder.Ignore(p => p.Spec);
        builder.Ignore(p => p.CanRetry);
    }
}

internal sealed class EvidenceFileChunkConfiguration : IEntityTypeConfiguration<EvidenceFileChunk>
{
    public void Configure(EntityTypeBuilder<EvidenceFileChunk> builder)
    {
        builder.ToTable("EvidenceFileChunks");
        builder.HasKey(c => new { c.PackId, c.FileName, c.Index });
        builder.Property(c => c.PackId).HasMaxLength(40);
        builder.Property(c => c.FileName).HasMaxLength(60);
        builder.Property(c => c.Content).IsRequired();
        // A pack's files go with it (retention deletes the pack row).
        builder.HasOne<EvidencePack>().WithMany().HasForeignKey(c => c.PackId).OnDelete(DeleteBehavior.Cascade);
    }
}
