using Hangfire;
using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Domain.People;
using Warden.Features.AuditLog;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Evidence;

/// <summary>Pack definitions: officers and administrators manage them; each one is a recurring job.</summary>
public sealed class EvidenceDefinitionService(
    AccessGuard access,
    IDbContextFactory<WardenDbContext> contexts,
    AuditWriter audit,
    IRecurringJobManager recurring,
    Warden.Features.Compliance.ComplianceCatalog compliance,
    TimeProvider clock)
{
    private static readonly string[] ReadersOfDefinitions = [Roles.SecurityOfficer, Roles.Administrator, Roles.Auditor];

    public async Task<Result<IReadOnlyList<EvidenceDefinitionRow>>> GetDefinitionsAsync(CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireAsync(ReadersOfDefinitions);
        if (actor.IsFailure)
            return actor.Error;
        await using var db = contexts.CreateDbContext();
        var definitions = await db.EvidenceDefinitions.AsNoTracking().OrderBy(d => d.Name).ToListAsync(cancellationToken);
        return definitions.Select(Row).ToList();
    }

    public async Task<Result<string>> CreateDefinitionAsync(EvidenceDefinitionDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var actor = await access.RequireToActAsync(EvidenceAccess.Managers);
        if (actor.IsFailure)
            return actor.Error;
        var problems = Problems(draft);
        if (problems.Count > 0)
            return EvidenceErrors.Invalid(problems);
        var definition = EvidenceDefinition.Create(EvidenceDefinition.IdPrefix + Guid.CreateVersion7().ToString("N")[..20], draft, actor.Value.Email, clock.GetUtcNow());
        await using var db = contexts.CreateDbContext();
        db.EvidenceDefinitions.Add(definition);
        await audit.AppendAsync(db, [Entry(actor.Value, "evidence.definition_created", definition)], cancellationToken);
        Schedule(recurring, definition);
        return definition.Id;
    }

    public async Task<Result> UpdateDefinitionAsync(string id, EvidenceDefinitionDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var actor = await access.RequireToActAsync(EvidenceAccess.Managers);
        if (actor.IsFailure)
            return actor.Error;
        var problems = Problems(draft);
        if (problems.Count > 0)
            return EvidenceErrors.Invalid(problems);
        await using var db = contexts.CreateDbContext();
        var definition = await db.EvidenceDefinitions.SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (definition is null)
            return EvidenceErrors.DefinitionNotFound(id);
        definition.Apply(draft, clock.GetUtcNow());
        await audit.AppendAsync(db, [Entry(actor.Value, "evidence.definition_changed", definition)], cancellationToken);
        Schedule(recurring, definition);
        return Result.Success();
    }

    public async Task<Result> DeleteDefinitionAsync(string id, CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireToActAsync(EvidenceAccess.Managers);
        if (actor.IsFailure)
            return actor.Error;
        await using var db = contexts.CreateDbContext();
        var definition = await db.EvidenceDefinitions.SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (definition is null)
            return EvidenceErrors.DefinitionNotFound(id);
        db.EvidenceDefinitions.Remove(definition);
        await audit.AppendAsync(db, [Entry(actor.Value, "evidence.definition_deleted", definition)], cancellationToken);
        recurring.RemoveIfExists(definition.RecurringJobId);
        return Result.Success();
    }

    /// <summary>Registers (or re-registers) the definition's recurring job in its own time zone.</summary>
    internal static void Schedule(IRecurringJobManager recurring, EvidenceDefinition definition)
    {
        var zone = EvidenceDefinitionRules.TryZone(definition.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
        var id = definition.Id;
        recurring.AddOrUpdate<EvidencePackJob>(definition.RecurringJobId, job => job.RunDefinitionAsync(id, CancellationToken.None), definition.Cron,
            new RecurringJobOptions { TimeZone = zone });
    }

    private List<string> Problems(EvidenceDefinitionDraft draft)
    {
        var problems = EvidenceDefinitionRules.Validate(draft).ToList();
        if (!string.IsNullOrWhiteSpace(draft.Framework) && compliance.Framework(draft.Framework.Trim()) is null)
            problems.Add($"Framework: '{draft.Framework}' is not one of {string.Join(", ", compliance.Frameworks.Select(f => f.Id))}.");
        return problems;
    }

    private static EvidenceDefinitionRow Row(EvidenceDefinition d) =>
        new(d.Id, d.Name, d.Scope, d.ScopeTarget, d.Period, d.CustomStart, d.CustomEnd, d.Cron, d.TimeZone, d.Recipients, d.RetentionDays) { Framework = d.Framework };

    private static AuditEntry Entry(Actor actor, string kind, EvidenceDefinition d) =>
        AuditEntry.Of(AuditActor.Person(actor.Id.Value, actor.Email), kind, d.Id, new
        {
            name = d.Name, scope = d.Scope.ToString(), target = d.ScopeTarget, period = d.Period.ToString(), cron = d.Cron, timeZone = d.TimeZone,
            recipients = d.RecipientRoles, retentionDays = d.RetentionDays, framework = d.Framework,
        });
}
