using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Domain.Approvals;
using Warden.Domain.People;

namespace Warden.Persistence.Configurations;

internal sealed class ApprovalRequestConfiguration : IEntityTypeConfiguration<ApprovalRequest>
{
    public void Configure(EntityTypeBuilder<ApprovalRequest> builder)
    {
        builder.ToTable("ApprovalRequests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasMaxLength(40);
        builder.Property(r => r.DecisionId).HasMaxLength(40);
        builder.Property(r => r.AgentId).HasMaxLength(40);
        builder.Property(r => r.OwnerId).HasConversion(id => id.Value, value => new UserId(value)).HasMaxLength(450);
        builder.Property(r => r.BackupOwnerId).HasConversion(id => id!.Value.Value, value => new UserId(value)).HasMaxLength(450);
        // Kept in the column that held the single role before lists: "SecurityOfficer" reads back as one role.
        builder.Property(r => r.EligibleRoles).HasColumnName("EligibleRole").HasMaxLength(200)
            .HasConversion(
                roles => string.Join(',', roles),
                text => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                new ValueComparer<IReadOnlyList<string>>((a, b) => a!.SequenceEqual(b!), roles => string.Join(',', roles).GetHashCode(StringComparison.Ordinal), roles => roles.ToArray()));
        builder.Property(r => r.RiskTier).HasConversion<string>().HasMaxLength(10);
        builder.Property(r => r.RuleId).HasMaxLength(100);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(10);
        builder.Property(r => r.ResolutionReason).HasMaxLength(ApprovalRequest.MaxReasonLength);
        // Every change bumps the version; a writer that read an older one fails and reads again.
        builder.Property<int>("Version").IsConcurrencyToken();
        builder.Ignore(r => r.Approvals);
        builder.Ignore(r => r.IsFinal);
        builder.Ignore(r => r.LiveVotes);
        builder.Property(r => r.PreviewDigest).HasMaxLength(64);
        builder.HasIndex(r => r.DecisionId).IsUnique();
        builder.HasIndex(r => new { r.State, r.ExpiresAt });
        // The history's order is (opened, id): each of its filters walks an index that ends in it.
        builder.HasIndex(r => new { r.AgentId, r.OpenedAt, r.Id });
        builder.HasIndex(r => new { r.OpenedAt, r.Id });
        builder.HasIndex(r => new { r.State, r.OpenedAt, r.Id });

        builder.OwnsMany(r => r.Votes, vote =>
        {
            vote.ToTable("ApprovalVotes");
            vote.WithOwner().HasForeignKey("RequestId");
            vote.Property<int>("Id");
            vote.HasKey("Id");
            vote.Property(v => v.VoterId).HasConversion(id => id.Value, value => new UserId(value)).HasMaxLength(450);
            vote.Property(v => v.VoterMailbox).HasMaxLength(256);
            vote.Property(v => v.VoterName).HasMaxLength(200);
            vote.Property(v => v.Verdict).HasConversion<string>().HasMaxLength(10);
            vote.Property(v => v.Reason).HasMaxLength(ApprovalRequest.MaxReasonLength);
            vote.Property(v => v.PreviewDigest).HasMaxLength(64);
            // An officer's requests (the history's officer filter, and one voter after another for its list),
            // and whether an officer voted on a request (the same filter when the officer votes often). The
            // request's own index stays on RequestId alone: a request's votes are read in the order they were cast.
            vote.HasIndex(nameof(ApprovalVote.VoterId), "RequestId");
        });
        builder.Navigation(r => r.Votes).HasField("_votes").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}
