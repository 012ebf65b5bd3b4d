using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Domain.Agents;
using Warden.Domain.Autonomy;
using Warden.Domain.People;

namespace Warden.Persistence.Configurations;

internal sealed class ViolationReviewConfiguration : IEntityTypeConfiguration<ViolationReview>
{
    public void Configure(EntityTypeBuilder<ViolationReview> builder)
    {
        builder.ToTable("ViolationReviews");
        // Keyed by the decision: a second verdict on the same violation fails on insert, whoever races.
        builder.HasKey(r => r.DecisionId);
        builder.Property(r => r.DecisionId).HasMaxLength(40);
        builder.Property(r => r.AgentId).HasConversion(id => id.Value, value => AgentId.Parse(value)).HasMaxLength(30);
        builder.Property(r => r.ReviewedBy).HasConversion(id => id.Value, value => new UserId(value)).HasMaxLength(450);
        builder.Property(r => r.ReviewedByName).HasMaxLength(200);
        builder.Property(r => r.Note).HasMaxLength(ViolationReview.MaxNoteLength);
        builder.HasIndex(r => new { r.AgentId, r.FalsePositive });
    }
}
