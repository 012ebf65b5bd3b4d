using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Features.Notifications;

namespace Warden.Persistence.Configurations;

internal sealed class OutboundNotificationConfiguration : IEntityTypeConfiguration<OutboundNotification>
{
    public void Configure(EntityTypeBuilder<OutboundNotification> builder)
    {
        builder.ToTable("Notifications");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).HasMaxLength(40);
        builder.Property(n => n.Kind).HasMaxLength(64);
        builder.Property(n => n.Subject).HasMaxLength(64);
        builder.Property(n => n.LastError).HasMaxLength(500);
        builder.HasIndex(n => new { n.DeliveredAt, n.AbandonedAt, n.NextAttemptAt });
    }
}
