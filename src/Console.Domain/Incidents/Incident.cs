using Warden.Domain.Containment;

namespace Warden.Domain.Incidents;

/// <summary>The first anomaly or violation that led to a trip, found by looking back from it.</summary>
public sealed record Detection(DateTimeOffset At, string Kind, string Reference, string Summary);

/// <summary>
/// What a trip opened: one per containment (a drill opens none). It has an owner, the runbook of its
/// type whose steps are ticked with who and when, notes, and closes only with a review written by an
/// officer or by someone other than its owner. A closed incident no longer changes.
/// </summary>
public sealed class Incident
{
    public const string IdPrefix = "inc_";
    public const int MaxTextLength = 4000;

    private readonly List<RunbookStep> _steps = [];
    private readonly List<IncidentNote> _notes = [];

    private Incident()
    {
    }

    public string Id { get; private set; } = string.Empty;
    public string ContainmentId { get; private set; } = string.Empty;
    public IncidentType Type { get; private set; }
    public string RunbookKey { get; private set; } = string.Empty;
    public string Title { get; private set; } = string.Empty;
    public ContainmentScope Scope { get; private set; }
    public string Target { get; private set; } = string.Empty;
    public string TargetLabel { get; private set; } = string.Empty;

    /// <summary>The agent, when the trip stopped exactly one (owners see incidents of their agents).</summary>
    public string? AgentId { get; private set; }

    public string? AgentOwnerId { get; private set; }
    public string TrippedBy { get; private set; } = string.Empty;
    public DateTimeOffset TrippedAt { get; private set; }
    public DateTimeOffset OpenedAt { get; private set; }
    public DateTimeOffset? DetectedAt { get; private set; }
    public string? DetectionKind { get; private set; }
    public string? DetectionReference { get; private set; }
    public string? DetectionSummary { get; private set; }
    public string OwnerId { get; private set; } = string.Empty;
    public string OwnerName { get; private set; } = string.Empty;
    public IncidentState State { get; private set; }
    public string? WhatHappened { get; private set; }
    public string? RootCause { get; private set; }
    public string? Actions { get; private set; }
    public string? ReviewedById { get; private set; }
    public string? ReviewedByName { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public IReadOnlyList<RunbookStep> Steps => _steps;
    public IReadOnlyList<IncidentNote> Notes => _notes;

    /// <summary>Detection → trip: how long the behaviour ran before it was stopped.</summary>
    public TimeSpan? DetectionToTrip => DetectedAt is { } d ? TrippedAt - d : null;

    /// <summary>
    /// Opens the incident of a trip. Its owner is the agent's owner when the trip stopped one agent,
    /// otherwise the person who tripped it (<paramref name="fallbackOwner"/>, which may be empty for a
    /// breaker's trip of several agents: an officer then takes it).
    /// </summary>
    public static Incident Open(string id, string containmentId, TripFacts trip, string target, string targetLabel, DateTimeOffset trippedAt,
        AgentOfIncident? agent, Person? fallbackOwner, Detection? detection, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(trip);
        var type = IncidentClassifier.Classify(trip);
        var runbook = Runbooks.For(type);
        var owner = agent?.Owner ?? fallbackOwner;
        var incident = new Incident
        {
            Id = id,
            ContainmentId = containmentId,
            Type = type,
            RunbookKey = runbook.Key,
            Title = $"{runbook.Title}: {targetLabel}",
            Scope = trip.Scope,
            Target = target,
            TargetLabel = targetLabel,
            AgentId = agent?.AgentId,
            AgentOwnerId = agent?.Owner.Id,
            TrippedBy = trip.TrippedBy,
            TrippedAt = trippedAt,
            OpenedAt = now,
            // A look-back that finds something after the trip is no detection of it.
            DetectedAt = detection is { } d && d.At <= trippedAt ? d.At : null,
            DetectionKind = detection is { } k && k.At <= trippedAt ? k.Kind : null,
            DetectionReference = detection is { } r && r.At <= trippedAt ? r.Reference : null,
            DetectionSummary = detection is { } s && s.At <= trippedAt ? Clip(s.Summary) : null,
            OwnerId = owner?.Id ?? string.Empty,
            OwnerName = owner?.Name ?? string.Empty,
            State = IncidentState.Open,
        };
        for (var i = 0; i < runbook.Steps.Count; i++)
            incident._steps.Add(new RunbookStep(i, runbook.Steps[i]));
        return incident;
    }

    public Result Assign(Person owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (State == IncidentState.Closed)
            return IncidentErrors.Closed;
        if (string.IsNullOrWhiteSpace(owner.Id))
            return IncidentErrors.OwnerRequired;
        OwnerId = owner.Id;
        OwnerName = owner.Name;
        return Result.Success();
    }

    public Result TickStep(int index, Person by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (State == IncidentState.Closed)
            return IncidentErrors.Closed;
        var step = _steps.FirstOrDefault(s => s.Index == index);
        if (step is null)
            return IncidentErrors.UnknownStep;
        return step.Tick(by, now) ? Result.Success() : IncidentErrors.StepAlreadyDone;
    }

    public Result AddNote(string? text, Person by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (State == IncidentState.Closed)
            return IncidentErrors.Closed;
        var note = text?.Trim();
        if (string.IsNullOrEmpty(note))
            return IncidentErrors.NoteRequired;
        if (note.Length > MaxTextLength)
            return IncidentErrors.TextTooLong;
        _notes.Add(new IncidentNote(_notes.Count, by.Id, by.Name, now, note));
        return Result.Success();
    }

    /// <summary>Closes with a review: what happened, the root cause and the actions, by an officer or a second person.</summary>
    public Result Close(IncidentReview review, Person reviewer, bool reviewerIsOfficer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(reviewer);
        if (State == IncidentState.Closed)
            return IncidentErrors.Closed;
        var (what, cause, actions) = (review.WhatHappened?.Trim(), review.RootCause?.Trim(), review.Actions?.Trim());
        if (string.IsNullOrEmpty(what) || string.IsNullOrEmpty(cause) || string.IsNullOrEmpty(actions))
            return IncidentErrors.ReviewIncomplete;
        if (what.Length > MaxTextLength || cause.Length > MaxTextLength || actions.Length > MaxTextLength)
            return IncidentErrors.TextTooLong;
        if (!reviewerIsOfficer && reviewer.Id == OwnerId)
            return IncidentErrors.ReviewerMustBeSecondPerson;
        WhatHappened = what;
        RootCause = cause;
        Actions = actions;
        ReviewedById = reviewer.Id;
        ReviewedByName = reviewer.Name;
        ClosedAt = now;
        State = IncidentState.Closed;
        return Result.Success();
    }

    private static string Clip(string text) => text.Length <= 500 ? text : text[..500];
}

/// <summary>A person as an incident names them.</summary>
public sealed record Person(string Id, string Name);

/// <summary>The one agent a trip stopped, and its owner.</summary>
public sealed record AgentOfIncident(string AgentId, Person Owner);

public sealed record IncidentReview(string? WhatHappened, string? RootCause, string? Actions);

public sealed class RunbookStep
{
    private RunbookStep()
    {
    }

    internal RunbookStep(int index, string text)
    {
        Index = index;
        Text = text;
    }

    public int Index { get; private set; }
    public string Text { get; private set; } = string.Empty;
    public string? DoneById { get; private set; }
    public string? DoneByName { get; private set; }
    public DateTimeOffset? DoneAt { get; private set; }

    public bool IsDone => DoneAt is not null;

    internal bool Tick(Person by, DateTimeOffset now)
    {
        if (IsDone)
            return false;
        DoneById = by.Id;
        DoneByName = by.Name;
        DoneAt = now;
        return true;
    }
}

public sealed class IncidentNote
{
    private IncidentNote()
    {
    }

    internal IncidentNote(int index, string byId, string byName, DateTimeOffset at, string text)
    {
        Index = index;
        ById = byId;
        ByName = byName;
        At = at;
        Text = text;
    }

    public int Index { get; private set; }
    public string ById { get; private set; } = string.Empty;
    public string ByName { get; private set; } = string.Empty;
    public DateTimeOffset At { get; private set; }
    public string Text { get; private set; } = string.Empty;
}
