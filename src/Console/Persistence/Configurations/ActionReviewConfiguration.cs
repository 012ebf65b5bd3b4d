using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Domain.Agents;
using Warden.Domain.Autonomy;
using Warden.Domain.People;

namespace Warden.Persistence.Configurations;

internal sealed class ActionReviewConfiguration : IEntityTypeConfiguration<ActionReview>
{
    public void Configure(EntityTypeBuilder<ActionReview> builder)
    {
        builder.ToTable("ActionReviews");
        // One review per decision, opened in the decision's own transaction.
        builder.HasKey(r => r.DecisionId);
        builder.Property(r => r.DecisionId).HasMaxLength(40);
        builder.Property(r => r.AgentId).HasConversion(id => id.Value, value => AgentId.Parse(value)).HasMaxLength(30);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(10);
        builder.Property(r => r.ReviewedBy).HasConversion(id => id!.Value.Value, value => new UserId(value)).HasMaxLength(450);
        builder.Property(r => r.ReviewedByName).HasMaxLength(200);
        builder.Property(r => r.Note).HasMaxLength(ActionReview.MaxNoteLength);
        // Two reviewers racing: the second save fails instead of overwriting the first verdict.
        builder.Property<int>("Version").IsConcurrencyToken();
        builder.HasIndex(r => new { r.State, r.OpenedAt });
        builder.HasIndex(r => new { r.AgentId, r.State });
    }
}
