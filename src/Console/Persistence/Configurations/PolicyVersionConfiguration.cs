using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Features.Policies;

namespace Warden.Persistence.Configurations;

internal sealed class PolicyVersionConfiguration : IEntityTypeConfiguration<PolicyVersion>
{
    public void Configure(EntityTypeBuilder<PolicyVersion> builder)
    {
        builder.ToTable("PolicyVersions");
        builder.Property(v => v.Label).HasMaxLength(64);
        builder.Property(v => v.ContentHash).HasMaxLength(64);
        builder.Property(v => v.AuthorId).HasMaxLength(450);
        builder.Property(v => v.AuthorName).HasMaxLength(200);
        builder.Property(v => v.Comment).HasMaxLength(1000);
        builder.Ignore(v => v.Publishable);
        builder.HasIndex(v => v.SavedAt);
    }
}

internal sealed class PolicyPublicationConfiguration : IEntityTypeConfiguration<PolicyPublication>
{
    public void Configure(EntityTypeBuilder<PolicyPublication> builder)
    {
        builder.ToTable("PolicyPublications");
        builder.Property(p => p.State).HasConversion<string>().HasMaxLength(24);
        builder.Property(p => p.RequestedBy).HasMaxLength(450);
        builder.Property(p => p.RequestedByName).HasMaxLength(200);
        builder.Property(p => p.Reason).HasMaxLength(1000);
        builder.Property(p => p.SecondOfficerId).HasMaxLength(450);
        builder.Property(p => p.SecondOfficerName).HasMaxLength(200);
        builder.Property(p => p.RejectionReason).HasMaxLength(1000);
        builder.Property<int>("Version").IsConcurrencyToken();
        builder.HasOne<PolicyVersion>().WithMany().HasForeignKey(p => p.VersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => new { p.State, p.PublishedAt });
    }
}

internal sealed class PolicyReplayRunConfiguration : IEntityTypeConfiguration<PolicyReplayRun>
{
    public void Configure(EntityTypeBuilder<PolicyReplayRun> builder)
    {
        builder.ToTable("PolicyReplays");
        builder.Property(r => r.VersionLabel).HasMaxLength(64);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.BaselineLabel).HasMaxLength(64);
        builder.Property(r => r.RequestedBy).HasMaxLength(450);
        builder.Property(r => r.RequestedByName).HasMaxLength(200);
        builder.Property(r => r.Error).HasMaxLength(2000);
        builder.Ignore(r => r.IsFinished);
        builder.HasOne<PolicyVersion>().WithMany().HasForeignKey(r => r.VersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => new { r.VersionId, r.Status });
    }
}
