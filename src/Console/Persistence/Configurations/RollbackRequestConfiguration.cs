using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Domain.People;
using Warden.Domain.Rollback;

namespace Warden.Persistence.Configurations;

internal sealed class RollbackRequestConfiguration : IEntityTypeConfiguration<RollbackRequest>
{
    public void Configure(EntityTypeBuilder<RollbackRequest> builder)
    {
        builder.ToTable("Rollbacks");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasMaxLength(40);
        builder.Property(r => r.DecisionId).HasMaxLength(40);
        builder.Property(r => r.AgentId).HasMaxLength(40);
        builder.Property(r => r.Tool).HasMaxLength(64);
        builder.Property(r => r.Route).HasConversion<string>().HasMaxLength(10);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(10);
        builder.Property(r => r.RequestedBy).HasConversion(id => id.Value, value => new UserId(value)).HasMaxLength(450);
        builder.Property(r => r.RequestedByName).HasMaxLength(200);
        builder.Property(r => r.AnswerStatus).HasMaxLength(20);
        builder.Property(r => r.AnswerExcerpt).HasMaxLength(RollbackRequest.MaxExcerptLength);
        builder.Property(r => r.AnswerDetail).HasMaxLength(RollbackRequest.MaxDetailLength);
        // Two asks racing for one action: the second writer fails instead of calling the tool again.
        builder.Property<int>("Version").IsConcurrencyToken();
        builder.Ignore(r => r.IsDone);
        // One rollback per decision: its id is the delivery id of every retry.
        builder.HasIndex(r => r.DecisionId).IsUnique();
        builder.HasIndex(r => new { r.AgentId, r.RequestedAt });
    }
}
