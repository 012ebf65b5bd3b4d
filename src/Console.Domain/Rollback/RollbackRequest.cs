using Warden.Domain.People;

namespace Warden.Domain.Rollback;

/// <summary>
/// The undoing of one action that ran, through the tool's compensating action. There is one per
/// decision and its id is the delivery id of every call: a retry after a failure calls again with
/// the same id so the tool can deduplicate, and while one call is under way or after one succeeded
/// nothing is called again. A call that does not answer is never taken as done.
/// </summary>
public sealed class RollbackRequest
{
    public const string IdPrefix = "rbk_";
    public const int MaxExcerptLength = 2000;
    public const int MaxDetailLength = 500;

    private RollbackRequest()
    {
    }

    public string Id { get; private set; } = string.Empty;
    public string DecisionId { get; private set; } = string.Empty;
    public string AgentId { get; private set; } = string.Empty;
    public string Tool { get; private set; } = string.Empty;
    public RollbackRoute Route { get; private set; }
    public RollbackState State { get; private set; }
    public int Attempts { get; private set; }
    public UserId RequestedBy { get; private set; }
    public string RequestedByName { get; private set; } = string.Empty;
    public DateTimeOffset RequestedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    /// <summary>How the last call came back (<c>ok</c>, <c>unreachable</c>, <c>timed_out</c>, <c>bad_status</c>, <c>bad_body</c>, <c>refused</c>, <c>tool_error</c>).</summary>
    public string? AnswerStatus { get; private set; }
    public int? AnswerHttpStatus { get; private set; }
    /// <summary>The start of what the tool answered, masked and capped at <see cref="MaxExcerptLength"/>.</summary>
    public string? AnswerExcerpt { get; private set; }
    public string? AnswerDetail { get; private set; }

    public bool IsDone => State == RollbackState.Succeeded;

    /// <summary>Who may ask for a rollback: officers for any agent, an owner for an agent they own; nobody else.</summary>
    public static Result MayAsk(IReadOnlySet<string> roles, bool ownsTheAgent)
    {
        ArgumentNullException.ThrowIfNull(roles);
        if (roles.Contains(Roles.SecurityOfficer))
            return Result.Success();
        return roles.Contains(Roles.AgentOwner) && ownsTheAgent ? Result.Success() : RollbackErrors.OwnAgentsOnly;
    }

    /// <summary>Whether a decision's reported outcome is an action that ran and can be undone.</summary>
    public static Result CanUndo(string decisionId, string? outcomeStatus) => outcomeStatus switch
    {
        "succeeded" => Result.Success(),
        "rolled_back" => RollbackErrors.AlreadyRolledBack(decisionId),
        _ => RollbackErrors.NothingRan(decisionId),
    };

    /// <summary>A new rollback of a decision, requested by a person; nothing is called yet.</summary>
    public static RollbackRequest Request(string id, string decisionId, string agentId, string tool, RollbackRoute route, UserId by, string byName, DateTimeOffset now) => new()
    {
        Id = id,
        DecisionId = decisionId,
        AgentId = agentId,
        Tool = tool,
        Route = route,
        State = RollbackState.Requested,
        RequestedBy = by,
        RequestedByName = byName,
        RequestedAt = now,
    };

    /// <summary>
    /// Asks again for a rollback that exists: allowed only after a failure, or when the last call was
    /// started more than <paramref name="staleAfter"/> ago and never answered (the instance died). The
    /// same id goes with the call again.
    /// </summary>
    public Result AskAgain(UserId by, string byName, RollbackRoute route, DateTimeOffset now, TimeSpan staleAfter)
    {
        if (WhyNotCallable(now, staleAfter) is { } refused)
            return refused;
        State = RollbackState.Requested;
        Route = route;
        RequestedBy = by;
        RequestedByName = byName;
        RequestedAt = now;
        return Result.Success();
    }

    /// <summary>The compensating call starts: one more attempt.</summary>
    public Result Start(DateTimeOffset now, TimeSpan staleAfter)
    {
        if (State != RollbackState.Requested && WhyNotCallable(now, staleAfter) is { } refused)
            return refused;
        State = RollbackState.Running;
        Attempts++;
        StartedAt = now;
        FinishedAt = null;
        return Result.Success();
    }

    /// <summary>The tool undid the action.</summary>
    public Result Succeed(RollbackAnswer answer, DateTimeOffset now) => Finish(RollbackState.Succeeded, answer, now);

    /// <summary>The call failed or the tool said it could not undo the action: the rollback is failed, with the answer, never done.</summary>
    public Result Fail(RollbackAnswer answer, DateTimeOffset now) => Finish(RollbackState.Failed, answer, now);

    private Result Finish(RollbackState state, RollbackAnswer answer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (State != RollbackState.Running)
            return RollbackErrors.NotRunning(Id, State);
        State = state;
        FinishedAt = now;
        AnswerStatus = answer.Status;
        AnswerHttpStatus = answer.HttpStatus;
        AnswerExcerpt = Cap(answer.Excerpt, MaxExcerptLength);
        AnswerDetail = Cap(answer.Detail, MaxDetailLength);
        return Result.Success();
    }

    private Error? WhyNotCallable(DateTimeOffset now, TimeSpan staleAfter) => State switch
    {
        RollbackState.Succeeded => RollbackErrors.AlreadySucceeded(Id),
        RollbackState.Failed => null,
        RollbackState.Running when StartedAt is { } started && now - started > staleAfter => null,
        RollbackState.Requested when now - RequestedAt > staleAfter => null,
        _ => RollbackErrors.InProgress(Id),
    };

    private static string? Cap(string? text, int length) => text is null || text.Length <= length ? text : text[..length];
}

/// <summary>What the compensating call came back with: a status word, the HTTP status if any, a masked excerpt and a readable detail.</summary>
public sealed record RollbackAnswer(string Status, int? HttpStatus, string? Excerpt, string Detail);
