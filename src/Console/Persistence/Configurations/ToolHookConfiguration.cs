using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Domain.Tools;

namespace Warden.Persistence.Configurations;

internal sealed class ToolHookConfiguration : IEntityTypeConfiguration<ToolHook>
{
    public void Configure(EntityTypeBuilder<ToolHook> builder)
    {
        builder.ToTable("ToolHooks");
        builder.HasKey(h => h.Tool);
        builder.Property(h => h.Tool).HasMaxLength(64);
        builder.Property(h => h.Preview).HasConversion<string>().HasMaxLength(10);
        builder.Property(h => h.PreviewUrl).HasMaxLength(ToolHook.MaxUrlLength);
        builder.Property(h => h.CompensationUrl).HasMaxLength(ToolHook.MaxUrlLength);
        builder.Property(h => h.CompensationGatewayTool).HasMaxLength(64);
        builder.Ignore(h => h.DeclaresPreview);
        builder.Ignore(h => h.DeclaresCompensation);
        builder.Ignore(h => h.DeclaresAnything);
    }
}
