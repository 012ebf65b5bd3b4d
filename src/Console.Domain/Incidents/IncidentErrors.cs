namespace Warden.Domain.Incidents;

public static class IncidentErrors
{
    public static readonly Error NotFound = new("incident.not_found", "No such incident.");
    public static readonly Error Closed = new("incident.closed", "The incident is closed; it can no longer change.");
    public static readonly Error UnknownStep = new("incident.unknown_step", "The runbook has no such step.");
    public static readonly Error StepAlreadyDone = new("incident.step_done", "That step is already ticked.");
    public static readonly Error NoteRequired = new("incident.note_required", "Write the note first.");
    public static readonly Error TextTooLong = new("incident.text_too_long", $"Keep each text under {Incident.MaxTextLength} characters.");
    public static readonly Error OwnerRequired = new("incident.owner_required", "Choose an owner.");
    public static readonly Error ReviewIncomplete = new("incident.review_incomplete", "A review needs what happened, the root cause and the actions.");
    public static readonly Error ChangedMeanwhile = new("incident.changed", "Someone changed the incident meanwhile; look again.");
    public static readonly Error ReviewerMustBeSecondPerson = new("incident.reviewer_is_owner",
        "The incident's owner cannot review it alone: a security officer or another person closes it.");
}

public static class TabletopErrors
{
    public static readonly Error NotFound = new("tabletop.not_found", "No such tabletop exercise.");
    public static readonly Error UnknownScenario = new("tabletop.unknown_scenario", "Choose one of the runbooks as the scenario.");
    public static readonly Error TitleRequired = new("tabletop.title_required", "Give the exercise a title.");
    public static readonly Error AlreadyCompleted = new("tabletop.completed", "The exercise is already recorded as completed.");
    public static readonly Error ParticipantsRequired = new("tabletop.participants_required", "Name at least one participant.");
    public static readonly Error FindingsRequired = new("tabletop.findings_required", "Write what the exercise found.");
    public static readonly Error UnknownStep = new("tabletop.unknown_step", "The scenario has no such step.");
}
