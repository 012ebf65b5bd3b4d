using Warden.Domain.Rollback;

namespace Warden.Features.Rollback;

/// <summary>One rollback as shown: its state, attempts, who asked, and the tool's answer (masked, capped).</summary>
public sealed record RollbackRow(
    string Id, string DecisionId, string Tool, RollbackRoute Route, RollbackState State, int Attempts, string RequestedByName, DateTimeOffset RequestedAt,
    DateTimeOffset? FinishedAt, string? AnswerStatus, int? AnswerHttpStatus, string? AnswerExcerpt, string? AnswerDetail)
{
    public static RollbackRow Of(RollbackRequest r) => new(
        r.Id, r.DecisionId, r.Tool, r.Route, r.State, r.Attempts, r.RequestedByName, r.RequestedAt, r.FinishedAt,
        r.AnswerStatus, r.AnswerHttpStatus, r.AnswerExcerpt, r.AnswerDetail);
}

/// <summary>An action of an agent that ran, and what can be done about it.</summary>
/// <param name="Undoable">The tool declares a compensating action.</param>
public sealed record RecentActionRow(
    string DecisionId, DateTimeOffset DecidedAt, string Tool, string Operation, string Resource, string OutcomeStatus, bool Undoable, RollbackRow? Rollback);

/// <summary>An agent's recent actions that ran, newest first, and whether the viewer may roll them back.</summary>
public sealed record RecentActions(IReadOnlyList<RecentActionRow> Actions, bool CanRollBack);

/// <summary>An action that was not rolled back, and why.</summary>
public sealed record RollbackRefusal(string DecisionId, string Tool, string Code, string Message);

/// <summary>What asking to roll back several actions came to: each rollback that was called, and each action refused before any call.</summary>
public sealed record RollbackBatch(IReadOnlyList<RollbackRow> Called, IReadOnlyList<RollbackRefusal> Refused)
{
    public int Succeeded => Called.Count(r => r.State == RollbackState.Succeeded);

    public int Failed => Called.Count(r => r.State != RollbackState.Succeeded);
}
