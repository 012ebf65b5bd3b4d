using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Audit;
using Warden.Domain.Decisions;
using Warden.Domain.Previews;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
using Warden.Features.Decisions;
using Warden.Features.Decisions.Previews;
using Warden.Features.Decisions.Stages;
using Warden.Features.Guardrails;
using Warden.Persistence;

namespace Warden.Features.Approvals;

/// <summary>
/// An agent sends a new preview for its held action (<c>PUT /api/v1/decisions/{id}/preview</c>), or the
/// tool's preview, fetched again when an officer approves, differs: the preview-binding rule voids the
/// approvals cast on the earlier preview, and the approval starts again. Recorded and audited as
/// <c>approval.preview_changed</c> with the voided votes.
/// </summary>
public sealed class PreviewChanges(
    IDbContextFactory<WardenDbContext> contexts,
    LiveAgents agents,
    AgentViews views,
    IToolPreviews hooks,
    PreviewScreening screening,
    ApprovalCommits commits,
    DecisionAnswers answers,
    PreviewFetcher fetcher,
    Masking masking,
    TimeProvider clock)
{
    public const string AuditKind = "approval.preview_changed";
    public const string FindingStage = "preview";

    public async Task<Result<DecisionResponse>> ChangeAsync(string agentId, string decisionId, PreviewBody body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var read = PreviewShape.Read(body);
        if (read.IsFailure)
            return read.Error;
        if (!AgentId.TryParse(agentId, out var id) || await agents.GetAsync(id, cancellationToken) is not { } agent)
            return agents.IsRefused(id) ? DecisionErrors.AgentSettingsUnverified : DecisionErrors.UnknownAgent;
        string tool;
        await using (var db = contexts.CreateDbContext())
        {
            var found = await db.Decisions.AsNoTracking().Where(d => d.Id == decisionId && d.AgentId == agentId).Select(d => d.Tool).SingleOrDefaultAsync(cancellationToken);
            if (found is null)
                return DecisionErrors.NotFound(decisionId);
            tool = found;
        }
        if ((await hooks.FindAsync(tool, cancellationToken)).FetchFrom is not null)
            return DecisionErrors.Invalid($"Tool '{tool}' supplies its own preview; Warden asks the tool for it, and an agent's preview is not taken.");
        var screened = await screening.ScreenAsync(agentId, views.Of(agent, clock.GetUtcNow()), tool, read.Value, cancellationToken);
        if (screened is null || screened.Findings.Any(f => f.Family == Warden.Domain.Guardrails.FindingKinds.GuardrailFamily))
            return DecisionErrors.Unavailable;
        return await RebindAsync(decisionId, agentId, AuditActor.Agent(agentId, agent.Name), screened, cancellationToken);
    }

    public static readonly Error Unreadable = new("approval.preview_unreadable",
        "The tool's preview of this action cannot be read now, so it cannot be approved; try again, or deny it.");

    /// <summary>
    /// Before an approval of an action whose tool supplies its own preview: the tool is asked again. A
    /// preview that changed since the card was shown voids the approvals cast so far and refuses this
    /// one (the officer reads the new one); one that cannot be read refuses it. Null: the approval may go on.
    /// </summary>
    public async Task<Error?> CheckBeforeApprovalAsync(string requestId, CancellationToken cancellationToken)
    {
        DecisionRecord? record;
        await using (var db = contexts.CreateDbContext())
        {
            var decisionId = await db.ApprovalRequests.AsNoTracking().Where(r => r.Id == requestId).Select(r => r.DecisionId).SingleOrDefaultAsync(cancellationToken);
            record = decisionId is null ? null : await db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.Id == decisionId, cancellationToken);
        }
        if (record is null || record.State != DecisionState.Pending)
            return null;
        var hook = await hooks.FindAsync(record.Tool, cancellationToken);
        if (hook.FetchFrom is not { } url)
            return null;
        if (!AgentId.TryParse(record.AgentId, out var id) || await agents.GetAsync(id, cancellationToken) is not { } agent)
            return Unreadable;
        var now = clock.GetUtcNow();
        var fetched = await fetcher.FetchAgainAsync(url, record, views.Of(agent, now), now, cancellationToken);
        if (fetched.Preview is not { } screened)
            return new Error(Unreadable.Code, $"The tool's preview of this action cannot be read now ({fetched.Failure}), so it cannot be approved; try again, or deny it.");
        if (screened.Digest == record.PreviewDigest)
            return null;
        var rebound = await RebindAsync(record.Id, record.AgentId, AuditActor.System, screened, cancellationToken);
        return rebound.IsFailure ? rebound.Error : PreviewErrors.Changed;
    }

    /// <summary>Binds the held decision to <paramref name="screened"/>; voids earlier approvals when its digest differs. Retried when a vote races it.</summary>
    public async Task<Result<DecisionResponse>> RebindAsync(
        string decisionId, string agentId, AuditActor actor, ScreenedPreview screened, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(screened);
        for (var attempt = 0; attempt < ApprovalWorkflow.MaxAttempts; attempt++)
        {
            await using var db = contexts.CreateDbContext();
            var record = await db.Decisions.SingleOrDefaultAsync(d => d.Id == decisionId && d.AgentId == agentId, cancellationToken);
            if (record is null)
                return DecisionErrors.NotFound(decisionId);
            var request = await db.ApprovalRequests.SingleOrDefaultAsync(r => r.DecisionId == decisionId, cancellationToken);
            if (request is null || record.State != DecisionState.Pending)
                return PreviewErrors.NotPending;
            var now = clock.GetUtcNow();
            var previous = request.PreviewDigest;
            var changed = request.ChangePreview(screened.Digest, now);
            if (changed.IsFailure)
                return changed.Error;
            if (previous == screened.Digest)
                return answers.For(record);
            record.Preview = screened.MaskedJson;
            record.PreviewDigest = screened.Digest;
            db.Entry(record).Property<int>("Version").CurrentValue++;
            db.GuardrailFindings.AddRange(screened.Findings.Take(FindingRecord.MaxPerDecision)
                .Select(f => FindingRecord.From(f, record.Id, agentId, FindingStage, now, masking)));
            var entry = AuditEntry.Of(actor, AuditKind, agentId, new
            {
                request = request.Id,
                decision = decisionId,
                previous,
                digest = screened.Digest,
                voided = changed.Value.Select(v => new { voter = v.VoterName, castAt = v.CastAt }).ToList(),
                findings = screened.Findings.Select(f => f.Kind).Distinct(StringComparer.Ordinal).ToList(),
            });
            if (await commits.TryCommitAsync(db, request, now, (entry, actor), cancellationToken))
                return answers.For(record);
        }
        return DecisionErrors.Unavailable;
    }
}
