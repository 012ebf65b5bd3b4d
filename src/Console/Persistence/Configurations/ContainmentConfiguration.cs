using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Domain.People;
using Trip = Warden.Domain.Containment.Containment;

namespace Warden.Persistence.Configurations;

internal sealed class ContainmentConfiguration : IEntityTypeConfiguration<Trip>
{
    public void Configure(EntityTypeBuilder<Trip> builder)
    {
        builder.ToTable("Containments");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasMaxLength(40);
        builder.Property(c => c.Scope).HasConversion<string>().HasMaxLength(10);
        builder.Property(c => c.Target).HasMaxLength(450);
        builder.Property(c => c.TargetLabel).HasMaxLength(200);
        builder.Property(c => c.Reason).HasMaxLength(Trip.MaxReasonLength);
        builder.Property(c => c.Source).HasConversion<string>().HasMaxLength(12);
        builder.Property(c => c.TrippedById).HasMaxLength(450);
        builder.Property(c => c.TrippedByMailbox).HasMaxLength(256);
        builder.Property(c => c.TrippedByName).HasMaxLength(200);
        builder.Property(c => c.ReleaseReason).HasMaxLength(Trip.MaxReasonLength);
        builder.Property<int>("Version").IsConcurrencyToken();
        builder.Ignore(c => c.IsActive);
        builder.Ignore(c => c.ApprovalsToRelease);
        builder.Ignore(c => c.TimeToFirstRefusal);
        builder.Ignore(c => c.TimeToRevocation);
        builder.HasIndex(c => c.ReleasedAt);
        builder.HasIndex(c => c.TrippedAt);

        builder.OwnsMany(c => c.ReleaseApprovals, approval =>
        {
            approval.ToTable("ContainmentReleaseApprovals");
            approval.WithOwner().HasForeignKey("ContainmentId");
            approval.Property<int>("Id");
            approval.HasKey("Id");
            approval.Property(a => a.OfficerId).HasConversion(id => id.Value, value => new UserId(value)).HasMaxLength(450);
            approval.Property(a => a.OfficerMailbox).HasMaxLength(256);
            approval.Property(a => a.OfficerName).HasMaxLength(200);
            approval.Property(a => a.Reason).HasMaxLength(Trip.MaxReasonLength);
        });
        builder.Navigation(c => c.ReleaseApprovals).HasField("_releaseApprovals").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}
