using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Infrastructure.Keys;

namespace Warden.Persistence.Configurations;

internal sealed class StoredKeyConfiguration : IEntityTypeConfiguration<StoredKey>
{
    public void Configure(EntityTypeBuilder<StoredKey> builder)
    {
        builder.ToTable("StoredKeys");
        builder.Property(k => k.Name).HasMaxLength(100);
        builder.Property(k => k.Purpose).HasMaxLength(100);
        // One active key per name: an instance that loses the race to insert reads the winner's key.
        builder.HasIndex(k => k.Name).IsUnique().HasFilter("\"RetiredAt\" IS NULL");
    }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder) => builder.ToTable("DataProtectionKeys");
}
