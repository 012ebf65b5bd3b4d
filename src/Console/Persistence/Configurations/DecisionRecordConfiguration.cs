using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Features.Decisions;

namespace Warden.Persistence.Configurations;

internal sealed class DecisionRecordConfiguration : IEntityTypeConfiguration<DecisionRecord>
{
    public void Configure(EntityTypeBuilder<DecisionRecord> builder)
    {
        builder.ToTable("Decisions");
        builder.Property(d => d.Id).HasMaxLength(40);
        builder.Property(d => d.AgentId).HasMaxLength(40);
        builder.Property(d => d.Tool).HasMaxLength(64);
        builder.Property(d => d.Operation).HasMaxLength(16);
        builder.Property(d => d.Resource).HasMaxLength(512);
        builder.Property(d => d.Currency).HasMaxLength(3);
        builder.Property(d => d.Justification).HasMaxLength(2000);
        builder.Property(d => d.Amount).HasPrecision(18, 4);
        builder.Property(d => d.OutcomeAmount).HasPrecision(18, 4);
        builder.Property(d => d.Outcome).HasConversion<string>().HasMaxLength(10);
        builder.Property(d => d.State).HasConversion<string>().HasMaxLength(12);
        builder.Property(d => d.RiskTier).HasMaxLength(10);
        builder.Property(d => d.PolicyVersion).HasMaxLength(64);
        builder.Property(d => d.MatchedRuleId).HasMaxLength(100);
        builder.Property(d => d.OtherRuleIds).HasMaxLength(210);
        builder.Property(d => d.RequestDigest).HasMaxLength(64);
        builder.Property(d => d.IdempotencyKey).HasMaxLength(200);
        builder.Property(d => d.OutcomeStatus).HasMaxLength(20);
        builder.Property(d => d.OutcomeDetail).HasMaxLength(2000);
        builder.Property(d => d.ReviewOf).HasMaxLength(40);
        builder.Property(d => d.PreviewDigest).HasMaxLength(64);
        builder.Property(d => d.ViolationSeverity).HasConversion<string>().HasMaxLength(10);
        builder.Property<int>("Version").IsConcurrencyToken();
        builder.HasIndex(d => new { d.AgentId, d.IdempotencyKey }).IsUnique().HasFilter("\"IdempotencyKey\" IS NOT NULL");
        // An agent's decisions by time; the outcome rides along so that the agent page counts today's by outcome from the index alone.
        builder.HasIndex(d => new { d.AgentId, d.DecidedAt, d.Outcome });
        // The reviews of outputs only (a few in a hundred decisions, so the decision path rarely writes it):
        // the agent page finds the reviews of its latest decisions, and the track record counts them, here.
        builder.HasIndex(d => new { d.AgentId, d.DecidedAt, d.ReviewOf, d.Outcome }).HasFilter("\"ReviewOf\" IS NOT NULL");
        builder.HasIndex(d => new { d.State, d.ExpiresAt });
        builder.HasIndex(d => new { d.AgentId, d.ViolationSeverity, d.DecidedAt });
    }
}
