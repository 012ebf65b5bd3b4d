using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Domain.Agents;
using Warden.Domain.People;
using Warden.Features.Agents;

namespace Warden.Persistence.Configurations;

internal sealed class AgentConfiguration : IEntityTypeConfiguration<Agent>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<Agent> builder)
    {
        builder.ToTable("Agents");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasConversion(id => id.Value, value => AgentId.Parse(value)).HasMaxLength(30);
        builder.Property(a => a.Name).HasMaxLength(AgentProfile.MaxNameLength).IsRequired();
        builder.Property(a => a.NormalizedName).HasMaxLength(AgentProfile.MaxNameLength).IsRequired();
        builder.Property(a => a.Purpose).HasMaxLength(AgentProfile.MaxPurposeLength).IsRequired();
        builder.Property(a => a.Segment).HasMaxLength(50).IsRequired();
        builder.PrimitiveCollection(a => a.Tags).HasField("_tags").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Property(a => a.Tools)
            .HasConversion(
                tools => JsonSerializer.Serialize(tools, Json),
                json => JsonSerializer.Deserialize<List<ToolDeclaration>>(json, Json) ?? new List<ToolDeclaration>(),
                new ValueComparer<IReadOnlyList<ToolDeclaration>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToList()));
        builder.Property(a => a.Scopes)
            .HasConversion(
                scopes => JsonSerializer.Serialize(scopes.Select(s => s.Pattern), Json),
                json => (JsonSerializer.Deserialize<List<string>>(json, Json) ?? new List<string>()).Select(p => ResourceScope.Create(p).Value).ToList(),
                new ValueComparer<IReadOnlyList<ResourceScope>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToList()));
        builder.ComplexProperty(a => a.Caps, caps =>
        {
            caps.Property(c => c.Currency).HasMaxLength(3);
            caps.Property(c => c.MaxAmountPerAction).HasPrecision(18, 4);
            caps.Property(c => c.DailyAmountBudget).HasPrecision(18, 4);
        });
        builder.Property(a => a.HighestRisk).HasConversion<string>().HasMaxLength(10);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.StatusBeforeContainment).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.StatusReason).HasMaxLength(1000);
        builder.Property(a => a.OwnerId).HasConversion(id => id.Value, value => new UserId(value)).HasMaxLength(450);
        builder.Property(a => a.BackupOwnerId).HasConversion(id => id!.Value.Value, value => new UserId(value)).HasMaxLength(450);
        builder.Property(a => a.PendingOwnerId).HasConversion(id => id!.Value.Value, value => new UserId(value)).HasMaxLength(450);
        builder.Property<int>("Version").IsConcurrencyToken();

        builder.HasIndex(a => a.NormalizedName).IsUnique().HasFilter("\"Status\" <> 'Retired'");
        builder.HasIndex(a => a.OwnerId);
        builder.HasIndex(a => a.BackupOwnerId);
        builder.HasIndex(a => a.PendingOwnerId);
        builder.HasIndex(a => a.OrphanedSince);
        // Every sortable column carries the id, the directory's tie-break, so a page is an index walk.
        builder.HasIndex(a => new { a.Name, a.Id });
        builder.HasIndex(a => new { a.Status, a.Id });
        builder.HasIndex(a => new { a.Segment, a.Id });
        builder.HasIndex(a => new { a.AutonomyLevel, a.Id });
        builder.HasIndex(a => new { a.HighestRisk, a.Id });
        builder.HasIndex(a => new { a.LastAttestedAt, a.Id });
        builder.HasIndex(a => new { a.RegisteredAt, a.Id });
    }
}

internal sealed class AgentTagConfiguration : IEntityTypeConfiguration<AgentTag>
{
    public void Configure(EntityTypeBuilder<AgentTag> builder)
    {
        builder.ToTable("AgentTags");
        // Tag first: the directory's filter is an equality on the tag, then the agents that carry it.
        builder.HasKey(t => new { t.Tag, t.AgentId });
        builder.Property(t => t.Tag).HasMaxLength(40);
        builder.Property(t => t.AgentId).HasConversion(id => id.Value, value => AgentId.Parse(value)).HasMaxLength(30);
        builder.HasOne<Agent>().WithMany().HasForeignKey(t => t.AgentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AgentChangeConfiguration : IEntityTypeConfiguration<AgentChange>
{
    public void Configure(EntityTypeBuilder<AgentChange> builder)
    {
        builder.ToTable("AgentChanges");
        builder.Property(c => c.AgentId).HasMaxLength(30);
        builder.Property(c => c.ActorId).HasMaxLength(450);
        builder.Property(c => c.ActorName).HasMaxLength(256);
        builder.Property(c => c.Kind).HasMaxLength(40);
        builder.Property(c => c.Reason).HasMaxLength(1000);
        builder.HasIndex(c => new { c.AgentId, c.At });
    }
}

internal sealed class AgentChangeRequestConfiguration : IEntityTypeConfiguration<AgentChangeRequest>
{
    public void Configure(EntityTypeBuilder<AgentChangeRequest> builder)
    {
        builder.ToTable("AgentChangeRequests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasMaxLength(40);
        builder.Property(r => r.AgentId).HasConversion(id => id.Value, value => AgentId.Parse(value)).HasMaxLength(30);
        builder.Property(r => r.RequestedBy).HasConversion(id => id.Value, value => new UserId(value)).HasMaxLength(450);
        builder.Property(r => r.DecidedBy).HasConversion(id => id!.Value.Value, value => new UserId(value)).HasMaxLength(450);
        builder.Property(r => r.DecisionReason).HasMaxLength(AgentChangeRequest.MaxReasonLength);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(12);
        builder.Property<int>("Version").IsConcurrencyToken();
        // One pending request per agent, whoever races to open a second.
        builder.HasIndex(r => r.AgentId).IsUnique().HasFilter("\"State\" = 'Pending'");
        builder.HasIndex(r => new { r.State, r.RequestedAt });
        builder.HasIndex(r => new { r.AgentId, r.RequestedAt });
    }
}
