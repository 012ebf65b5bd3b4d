namespace Warden.Domain.Rollback;

public static class RollbackErrors
{
    public static Error NotFound(string decisionId) => new("rollback.not_found", $"No decision '{decisionId}' that you can see.");

    public static Error OwnAgentsOnly { get; } = new("rollback.own_agents_only",
        "Owners roll back only their own agents' actions; a security officer rolls back any agent's.");

    public static Error NothingRan(string decisionId) => new("rollback.nothing_ran",
        $"Decision '{decisionId}' has no action that ran: only an allowed action whose outcome was reported as succeeded can be rolled back.");

    public static Error AlreadyRolledBack(string decisionId) => new("rollback.already_rolled_back",
        $"Decision '{decisionId}' is already rolled back.");

    public static Error NoCompensation(string tool) => new("rollback.no_compensation",
        $"The tool '{tool}' declares no compensating action, so Warden cannot undo it; nothing was called. An officer can declare one under Tool hooks.");

    public static Error InProgress(string rollbackId) => new("rollback.in_progress",
        $"Rollback {rollbackId} of this action is under way; it is not called a second time.");

    public static Error AlreadySucceeded(string rollbackId) => new("rollback.already_succeeded",
        $"Rollback {rollbackId} of this action has already succeeded; it is not called again.");

    public static Error NotRunning(string rollbackId, RollbackState state) => new("rollback.not_running",
        $"Rollback {rollbackId} is {state.ToString().ToLowerInvariant()}, not running; its answer cannot be recorded.");

    public static Error NotRecorded(string rollbackId, TimeSpan staleAfter) => new("rollback.not_recorded",
        $"Rollback {rollbackId} was called, but its answer could not be recorded; it is not taken as done. Ask again after {staleAfter.TotalMinutes:0} minutes: the tool gets the same delivery id.");

    public static Error WindowOutOfRange(int most) => new("rollback.window", $"Choose a window between 1 and {most} minutes.");

    public static Error NoActions { get; } = new("rollback.no_actions", "Choose at least one action to roll back.");

    public static Error TooManyActions(int most) => new("rollback.too_many", $"At most {most} actions are rolled back at once.");
}
