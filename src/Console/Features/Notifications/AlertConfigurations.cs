using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Warden.Features.Notifications;

internal sealed class AlertDeliveryConfiguration : IEntityTypeConfiguration<AlertDelivery>
{
    public void Configure(EntityTypeBuilder<AlertDelivery> builder)
    {
        builder.ToTable("AlertDeliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).HasMaxLength(40);
        builder.Property(d => d.NotificationId).HasMaxLength(40);
        builder.Property(d => d.Kind).HasMaxLength(64);
        builder.Property(d => d.Channel).HasMaxLength(16);
        builder.Property(d => d.Recipient).HasMaxLength(256);
        builder.Property(d => d.UserId).HasMaxLength(64);
        builder.Property(d => d.Title).HasMaxLength(300);
        builder.Property(d => d.Text).HasMaxLength(4000);
        builder.Property(d => d.Link).HasMaxLength(500);
        builder.Property(d => d.LastError).HasMaxLength(500);
        // One delivery per notification, channel and recipient: a fan-out run twice adds nothing.
        builder.HasIndex(d => new { d.NotificationId, d.Channel, d.Recipient }).IsUnique();
        builder.HasIndex(d => new { d.DeliveredAt, d.AbandonedAt, d.NextAttemptAt });
    }
}

internal sealed class AlertPreferenceConfiguration : IEntityTypeConfiguration<AlertPreference>
{
    public void Configure(EntityTypeBuilder<AlertPreference> builder)
    {
        builder.ToTable("AlertPreferences");
        builder.HasKey(p => new { p.UserId, p.Kind });
        builder.Property(p => p.UserId).HasMaxLength(64);
        builder.Property(p => p.Kind).HasMaxLength(64);
    }
}

internal sealed class AlertCursorConfiguration : IEntityTypeConfiguration<AlertCursor>
{
    public void Configure(EntityTypeBuilder<AlertCursor> builder)
    {
        builder.ToTable("AlertCursors");
        builder.HasKey(c => c.Name);
        builder.Property(c => c.Name).HasMaxLength(40);
        builder.Property(c => c.LeaseOwner).HasMaxLength(200);
    }
}
