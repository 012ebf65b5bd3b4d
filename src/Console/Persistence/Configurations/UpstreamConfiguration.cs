using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Domain.Gateway;

namespace Warden.Persistence.Configurations;

internal sealed class UpstreamConfiguration : IEntityTypeConfiguration<Upstream>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public void Configure(EntityTypeBuilder<Upstream> builder)
    {
        builder.ToTable("GatewayUpstreams");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).HasMaxLength(40);
        builder.Property(u => u.Name).HasMaxLength(40).IsRequired();
        builder.HasIndex(u => u.Name).IsUnique();
        builder.Property(u => u.Transport).HasConversion<string>().HasMaxLength(10);
        builder.Property(u => u.Command).HasMaxLength(UpstreamSettings.MaxTextLength);
        builder.Property(u => u.WorkingDirectory).HasMaxLength(UpstreamSettings.MaxTextLength);
        builder.Property(u => u.Url).HasMaxLength(UpstreamSettings.MaxTextLength);
        builder.PrimitiveCollection(u => u.Arguments).HasField("_arguments").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.PrimitiveCollection(u => u.HeaderNames).HasField("_headerNames").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Property(u => u.Mappings)
            .HasConversion(
                mappings => JsonSerializer.Serialize(mappings, Json),
                json => JsonSerializer.Deserialize<List<ToolMapping>>(json, Json) ?? new List<ToolMapping>(),
                new ValueComparer<IReadOnlyList<ToolMapping>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToList()));
    }
}
