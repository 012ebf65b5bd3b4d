using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Domain.Agents;
using Warden.Domain.Autonomy;
using Warden.Domain.People;

namespace Warden.Persistence.Configurations;

internal sealed class PromotionRequestConfiguration : IEntityTypeConfiguration<PromotionRequest>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<PromotionRequest> builder)
    {
        builder.ToTable("PromotionRequests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasMaxLength(40);
        builder.Property(r => r.AgentId).HasConversion(id => id.Value, value => AgentId.Parse(value)).HasMaxLength(30);
        builder.Property(r => r.RequestedBy).HasConversion(id => id.Value, value => new UserId(value)).HasMaxLength(450);
        builder.Property(r => r.RequestedByName).HasMaxLength(200);
        builder.Property(r => r.DecidedBy).HasConversion(id => id!.Value.Value, value => new UserId(value)).HasMaxLength(450);
        builder.Property(r => r.DecidedByName).HasMaxLength(200);
        builder.Property(r => r.Justification).HasMaxLength(PromotionRequest.MaxTextLength);
        builder.Property(r => r.DecisionReason).HasMaxLength(PromotionRequest.MaxTextLength);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(10);
        // The criteria as measured when the request was made: a snapshot, never recomputed.
        builder.Property(r => r.Criteria)
            .HasConversion(
                v => JsonSerializer.Serialize(v, Json),
                v => JsonSerializer.Deserialize<List<CriterionResult>>(v, Json) ?? new List<CriterionResult>(),
                new ValueComparer<IReadOnlyList<CriterionResult>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToList()));
        builder.Property<int>("Version").IsConcurrencyToken();
        builder.Ignore(r => r.IsOpen);
        // One open request per agent, whoever races to open a second.
        builder.HasIndex(r => r.AgentId).IsUnique().HasFilter("\"State\" = 'Open'");
        builder.HasIndex(r => new { r.State, r.ExpiresAt });
        builder.HasIndex(r => new { r.AgentId, r.RequestedAt });
    }
}
