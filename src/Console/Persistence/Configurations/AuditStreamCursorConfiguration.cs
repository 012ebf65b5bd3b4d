using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Features.AuditLog.Stream;

namespace Warden.Persistence.Configurations;

internal sealed class AuditStreamCursorConfiguration : IEntityTypeConfiguration<AuditStreamCursor>
{
    public void Configure(EntityTypeBuilder<AuditStreamCursor> builder)
    {
        builder.ToTable("AuditStreamCursors");
        builder.HasKey(c => c.Name);
        builder.Property(c => c.Name).HasMaxLength(40);
        builder.Property(c => c.LeaseOwner).HasMaxLength(200);
        builder.Property(c => c.LastError).HasMaxLength(300);
    }
}
