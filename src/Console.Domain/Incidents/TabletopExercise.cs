namespace Warden.Domain.Incidents;

public enum TabletopState
{
    Scheduled,
    Completed,
}

/// <summary>
/// A scheduled drill on paper: a scenario (one of the runbooks) walked through by the people who
/// would run it, its steps ticked, and a record of who took part and what it found.
/// </summary>
public sealed class TabletopExercise
{
    public const string IdPrefix = "ttx_";
    public const int MaxTitleLength = 200;

    private readonly List<RunbookStep> _steps = [];

    private TabletopExercise()
    {
    }

    public string Id { get; private set; } = string.Empty;
    public string Title { get; private set; } = string.Empty;
    public string RunbookKey { get; private set; } = string.Empty;
    public DateTimeOffset ScheduledFor { get; private set; }
    public string ScheduledById { get; private set; } = string.Empty;
    public string ScheduledByName { get; private set; } = string.Empty;
    public TabletopState State { get; private set; }
    public string Participants { get; private set; } = string.Empty;
    public string? Findings { get; private set; }
    public string? CompletedByName { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public IReadOnlyList<RunbookStep> Steps => _steps;

    public static Result<TabletopExercise> Schedule(string id, string? title, string? runbookKey, DateTimeOffset scheduledFor, Person by)
    {
        ArgumentNullException.ThrowIfNull(by);
        var runbook = Runbooks.Find(runbookKey);
        if (runbook is null)
            return TabletopErrors.UnknownScenario;
        var text = title?.Trim();
        if (string.IsNullOrEmpty(text))
            return TabletopErrors.TitleRequired;
        if (text.Length > MaxTitleLength)
            return IncidentErrors.TextTooLong;
        var exercise = new TabletopExercise
        {
            Id = id,
            Title = text,
            RunbookKey = runbook.Key,
            ScheduledFor = scheduledFor,
            ScheduledById = by.Id,
            ScheduledByName = by.Name,
            State = TabletopState.Scheduled,
        };
        for (var i = 0; i < runbook.Steps.Count; i++)
            exercise._steps.Add(new RunbookStep(i, runbook.Steps[i]));
        return exercise;
    }

    public Result TickStep(int index, Person by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (State == TabletopState.Completed)
            return TabletopErrors.AlreadyCompleted;
        var step = _steps.FirstOrDefault(s => s.Index == index);
        if (step is null)
            return TabletopErrors.UnknownStep;
        return step.Tick(by, now) ? Result.Success() : IncidentErrors.StepAlreadyDone;
    }

    /// <summary>Records the exercise as held: who took part (one name a line or comma-separated) and what it found.</summary>
    public Result Complete(string? participants, string? findings, Person by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (State == TabletopState.Completed)
            return TabletopErrors.AlreadyCompleted;
        var names = (participants ?? string.Empty).Split([',', '\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
            return TabletopErrors.ParticipantsRequired;
        var found = findings?.Trim();
        if (string.IsNullOrEmpty(found))
            return TabletopErrors.FindingsRequired;
        if (found.Length > Incident.MaxTextLength || string.Join(", ", names).Length > Incident.MaxTextLength)
            return IncidentErrors.TextTooLong;
        Participants = string.Join(", ", names.Distinct(StringComparer.OrdinalIgnoreCase));
        Findings = found;
        CompletedByName = by.Name;
        CompletedAt = now;
        State = TabletopState.Completed;
        return Result.Success();
    }
}
