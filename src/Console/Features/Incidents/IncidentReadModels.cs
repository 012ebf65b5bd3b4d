using Warden.Domain.Containment;
using Warden.Domain.Incidents;

namespace Warden.Features.Incidents;

public enum IncidentFilter
{
    Open,
    Closed,
    All,
}

/// <summary>An incident as the list shows it.</summary>
public sealed record IncidentRow(
    string Id, string Title, IncidentType Type, IncidentState State, string TargetLabel, string OwnerName,
    DateTimeOffset OpenedAt, DateTimeOffset TrippedAt, TimeSpan? DetectionToTrip, DateTimeOffset? ClosedAt);

/// <summary>One line of an incident's timeline.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Kind, string Title, string Detail);

public sealed record RunbookStepView(int Index, string Text, string? DoneByName, DateTimeOffset? DoneAt);

public sealed record IncidentNoteView(string ByName, DateTimeOffset At, string Text);

/// <summary>What the person reading may do with the incident.</summary>
public sealed record IncidentPermissions(bool CanAct, bool CanClose);

public sealed record IncidentDetails(
    string Id,
    string Title,
    IncidentType Type,
    IncidentState State,
    string ContainmentId,
    ContainmentScope Scope,
    string TargetLabel,
    string? AgentId,
    string TrippedBy,
    string OwnerId,
    string OwnerName,
    string RunbookTitle,
    IReadOnlyList<RunbookStepView> Steps,
    IReadOnlyList<IncidentNoteView> Notes,
    IReadOnlyList<TimelineEntry> Timeline,
    TimeToContain TimeToContain,
    long Refusals,
    bool Released,
    string? WhatHappened,
    string? RootCause,
    string? Actions,
    string? ReviewedByName,
    DateTimeOffset? ClosedAt,
    IncidentPermissions Permissions);

/// <summary>Someone an incident can be assigned to.</summary>
public sealed record IncidentAssignee(string Id, string Name);

public sealed record TabletopRow(
    string Id, string Title, string RunbookKey, string ScenarioTitle, DateTimeOffset ScheduledFor, TabletopState State,
    string ScheduledByName, string Participants, string? Findings, DateTimeOffset? CompletedAt, IReadOnlyList<RunbookStepView> Steps);

public sealed record TabletopDraft(string? Title, string? RunbookKey, DateTimeOffset ScheduledFor);
