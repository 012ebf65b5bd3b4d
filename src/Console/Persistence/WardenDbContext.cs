using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Warden.Domain.Agents;
using Warden.Domain.Approvals;
using Warden.Domain.Audit;
using Warden.Features.Agents;
using Warden.Features.Decisions;
using Warden.Features.Evidence;
using Warden.Features.Notifications;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Identity;
using Warden.Infrastructure.Jobs;

namespace Warden.Persistence;

/// <summary>
/// The one model of Warden. Each database provider has a thin subclass with its own migrations,
/// because generated column types and snapshots differ between providers.
/// </summary>
public abstract class WardenDbContext(DbContextOptions options) : IdentityDbContext<ApplicationUser>(options)
{
    public DbSet<HousekeepingRun> HousekeepingRuns => Set<HousekeepingRun>();

    public DbSet<Agent> Agents => Set<Agent>();

    public DbSet<AgentChange> AgentChanges => Set<AgentChange>();

    public DbSet<DecisionRecord> Decisions => Set<DecisionRecord>();

    public DbSet<ApprovalRequest> ApprovalRequests => Set<ApprovalRequest>();

    public DbSet<OutboundNotification> Notifications => Set<OutboundNotification>();

    public DbSet<Warden.Domain.Containment.Containment> Containments => Set<Warden.Domain.Containment.Containment>();

    public DbSet<AutomationClient> AutomationClients => Set<AutomationClient>();

    public DbSet<Warden.Features.Guardrails.FindingRecord> GuardrailFindings => Set<Warden.Features.Guardrails.FindingRecord>();

    public DbSet<Warden.Features.Policies.PolicyVersion> PolicyVersions => Set<Warden.Features.Policies.PolicyVersion>();

    public DbSet<Warden.Features.Policies.PolicyPublication> PolicyPublications => Set<Warden.Features.Policies.PolicyPublication>();

    public DbSet<Warden.Features.Policies.PolicyReplayRun> PolicyReplays => Set<Warden.Features.Policies.PolicyReplayRun>();

    public DbSet<Warden.Domain.Autonomy.PromotionRequest> PromotionRequests => Set<Warden.Domain.Autonomy.PromotionRequest>();

    public DbSet<Warden.Domain.Autonomy.ViolationReview> ViolationReviews => Set<Warden.Domain.Autonomy.ViolationReview>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<AuditCheckpoint> AuditCheckpoints => Set<AuditCheckpoint>();

    public DbSet<EvidenceDefinition> EvidenceDefinitions => Set<EvidenceDefinition>();

    public DbSet<EvidencePack> EvidencePacks => Set<EvidencePack>();

    /// <summary>Identity's schema (version 3 has passkeys); the app and the design-time factories both use it.</summary>
    public static readonly Version IdentitySchema = IdentitySchemaVersions.Version3;

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // Optimistic concurrency: a second writer that read the same version fails instead of overwriting.
        foreach (var entry in ChangeTracker.Entries<Agent>().Where(e => e.State == EntityState.Modified))
            entry.Property<int>("Version").CurrentValue++;
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(WardenDbContext).Assembly);
        builder.UseOpenIddict();
        builder.Entity<ApplicationUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(200);
            user.HasIndex(u => u.IsDisabled);
        });
    }
}
