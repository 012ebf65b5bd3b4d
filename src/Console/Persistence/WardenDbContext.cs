using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Warden.Domain.Agents;
using Warden.Domain.Approvals;
using Warden.Domain.Audit;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
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
public abstract class WardenDbContext(DbContextOptions options) : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    /// <summary>The ASP.NET Core Data Protection key ring every instance shares (secrets sealed under the key-encryption key).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Warden.Infrastructure.Keys.StoredKey> StoredKeys => Set<Warden.Infrastructure.Keys.StoredKey>();

    public DbSet<HousekeepingRun> HousekeepingRuns => Set<HousekeepingRun>();

    public DbSet<Agent> Agents => Set<Agent>();

    /// <summary>Each agent's tags, one row per tag, kept in step with <see cref="Agent.Tags"/> by every save (the directory's tag filter reads these).</summary>
    public DbSet<AgentTag> AgentTags => Set<AgentTag>();

    public DbSet<AgentChange> AgentChanges => Set<AgentChange>();

    public DbSet<AgentChangeRequest> AgentChangeRequests => Set<AgentChangeRequest>();

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

    public DbSet<Warden.Domain.Autonomy.ActionReview> ActionReviews => Set<Warden.Domain.Autonomy.ActionReview>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<AuditCheckpoint> AuditCheckpoints => Set<AuditCheckpoint>();

    public DbSet<AuditTimeOrderMark> AuditTimeOrder => Set<AuditTimeOrderMark>();

    public DbSet<EvidenceDefinition> EvidenceDefinitions => Set<EvidenceDefinition>();

    public DbSet<EvidencePack> EvidencePacks => Set<EvidencePack>();

    public DbSet<EvidenceFileChunk> EvidenceFileChunks => Set<EvidenceFileChunk>();

    public DbSet<Warden.Features.Behaviour.AnomalyAlert> AnomalyAlerts => Set<Warden.Features.Behaviour.AnomalyAlert>();

    public DbSet<Warden.Features.Behaviour.AgentBaselineRecord> AgentBaselines => Set<Warden.Features.Behaviour.AgentBaselineRecord>();

    public DbSet<Warden.Domain.Gateway.Upstream> GatewayUpstreams => Set<Warden.Domain.Gateway.Upstream>();

    public DbSet<Warden.Domain.Tools.ToolHook> ToolHooks => Set<Warden.Domain.Tools.ToolHook>();

    public DbSet<Warden.Features.AuditLog.Stream.AuditStreamCursor> AuditStreamCursors => Set<Warden.Features.AuditLog.Stream.AuditStreamCursor>();

    public DbSet<Warden.Infrastructure.Cluster.StateChange> StateChanges => Set<Warden.Infrastructure.Cluster.StateChange>();

    public DbSet<Warden.Features.Decisions.AgentUsage> AgentUsage => Set<Warden.Features.Decisions.AgentUsage>();

    /// <summary>Rollbacks of actions that ran, one per decision, through the tool's compensating action.</summary>
    public DbSet<Warden.Domain.Rollback.RollbackRequest> Rollbacks => Set<Warden.Domain.Rollback.RollbackRequest>();

    /// <summary>Incidents opened by trips, one per containment, with their runbook, notes and review.</summary>
    public DbSet<Warden.Domain.Incidents.Incident> Incidents => Set<Warden.Domain.Incidents.Incident>();

    /// <summary>Tabletop exercises: drills on paper over one runbook.</summary>
    public DbSet<Warden.Domain.Incidents.TabletopExercise> TabletopExercises => Set<Warden.Domain.Incidents.TabletopExercise>();

    /// <summary>Identity's schema (version 3 has passkeys); the app and the design-time factories both use it.</summary>
    public static readonly Version IdentitySchema = IdentitySchemaVersions.Version3;

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var (detect, tagged) = PrepareSave();
        try
        {
            if (tagged is not null)
            {
                // The rows the database holds for the changed agents, whatever they were when the agents were read.
                var ids = tagged.Stored;
                if (ids.Count > 0)
                    await AgentTags.Where(t => ids.Contains(t.AgentId)).LoadAsync(cancellationToken);
                KeepTagsInStep(tagged.Tags);
            }
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var (detect, tagged) = PrepareSave();
        try
        {
            if (tagged is not null)
            {
                var ids = tagged.Stored;
                if (ids.Count > 0)
                    AgentTags.Where(t => ids.Contains(t.AgentId)).Load();
                KeepTagsInStep(tagged.Tags);
            }
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    // Changes are detected once here; the version bump, the save and its interceptors then read entry
    // states without detecting again (each detection walks every tracked entity). Returns the setting
    // to restore, and the agents whose tag rows may have to change (null when none).
    private (bool Detect, TagChanges? Tagged) PrepareSave()
    {
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        if (detect)
            ChangeTracker.DetectChanges();
        ChangeTracker.AutoDetectChangesEnabled = false;
        TagChanges? tagged = null;
        foreach (var entry in ChangeTracker.Entries<Agent>())
        {
            if (entry.State == EntityState.Added)
            {
                (tagged ??= new()).Tags[entry.Entity.Id] = entry.Entity.Tags;
            }
            else if (entry.State == EntityState.Modified)
            {
                // Optimistic concurrency: a second writer that read the same version fails instead of overwriting.
                entry.Property<int>("Version").CurrentValue++;
                if (entry.Property(a => a.Tags).IsModified)
                {
                    (tagged ??= new()).Tags[entry.Entity.Id] = entry.Entity.Tags;
                    tagged.Stored.Add(entry.Entity.Id);
                }
            }
        }
        return (detect, tagged);
    }

    /// <summary>The agents whose tags are saved, with their tags now, and those of them whose stored rows must be read first.</summary>
    private sealed class TagChanges
    {
        public Dictionary<AgentId, IReadOnlyList<string>> Tags { get; } = [];
        public List<AgentId> Stored { get; } = [];
    }

    /// <summary>
    /// Makes the tracked tag rows of each agent in <paramref name="tags"/> match its tags: rows of
    /// tags it no longer has are deleted, rows of new tags added. The rows stored in the database are
    /// tracked by then; rows left tracked by a save that failed on this context are reused, not doubled.
    /// </summary>
    private void KeepTagsInStep(Dictionary<AgentId, IReadOnlyList<string>> tags)
    {
        var tracked = ChangeTracker.Entries<AgentTag>().Where(e => tags.ContainsKey(e.Entity.AgentId)).ToLookup(e => e.Entity.AgentId);
        foreach (var (agent, now) in tags)
        {
            var wanted = now.ToHashSet(StringComparer.Ordinal);
            foreach (var row in tracked[agent])
            {
                if (wanted.Remove(row.Entity.Tag))
                {
                    if (row.State == EntityState.Deleted)
                        row.State = EntityState.Unchanged;
                }
                else
                {
                    row.State = row.State == EntityState.Added ? EntityState.Detached : EntityState.Deleted;
                }
            }
            foreach (var tag in wanted)
                AgentTags.Add(new AgentTag { AgentId = agent, Tag = tag });
        }
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
