using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Domain.People;
using Warden.Features.Agents;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Decisions;

/// <summary>What a person types into the "try a request" panel.</summary>
public sealed record DryRunDraft(
    string? Tool,
    string? Operation,
    string? Resource,
    string? ParametersJson = null,
    int? Records = null,
    decimal? Amount = null,
    string? Currency = null,
    string? Justification = null);

/// <summary>
/// "Try a request" in the console: an officer (any agent) or an owner (their own agents) asks what
/// the decision path would answer an agent's request now, without reserving anything (see
/// <see cref="DryRuns"/>); the attempt is audited under the person's name.
/// </summary>
public sealed class DryRunService(AccessGuard access, IDbContextFactory<WardenDbContext> contexts, DryRuns dryRuns)
{
    public static readonly string[] Triers = [Roles.SecurityOfficer, Roles.AgentOwner];

    public async Task<Result<DecisionResponse>> TryAsync(string agentId, DryRunDraft draft, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var guard = await access.RequireToActAsync(Triers);
        if (guard.IsFailure)
            return guard.Error;
        var actor = guard.Value;
        await using (var db = contexts.CreateDbContext())
        {
            var found = await AgentAccess.FindVisibleAsync(db, actor, agentId, ct);
            if (found.IsFailure)
                return found.Error;
            if (!AgentAccess.OwnsOrOfficer(actor, found.Value))
                return AgentAccess.NotFound(agentId);
        }
        JsonElement? parameters = null;
        if (!string.IsNullOrWhiteSpace(draft.ParametersJson))
        {
            try
            {
                using var document = JsonDocument.Parse(draft.ParametersJson);
                parameters = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                return new Error("dry_run.parameters_invalid", $"The parameters are not valid JSON: {ex.Message}");
            }
        }
        var impact = draft.Records is null && draft.Amount is null && string.IsNullOrWhiteSpace(draft.Currency)
            ? null
            : new DecisionImpactBody(draft.Records, draft.Amount, string.IsNullOrWhiteSpace(draft.Currency) ? null : draft.Currency.Trim());
        var body = new DecisionRequestBody(Blank(draft.Tool), Blank(draft.Operation), Blank(draft.Resource), parameters, impact, Blank(draft.Justification))
        {
            DryRun = true,
        };
        return await dryRuns.TryAsync(agentId, body, AuditActor.Person(actor.Id.Value, actor.Email), ct);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
