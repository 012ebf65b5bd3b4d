namespace Warden.Client.AI;

public enum GuardedCallResult
{
    /// <summary>Allowed, run, reported and (when reviewed) released to the model.</summary>
    Ran,

    /// <summary>Warden denied the call, or the approval was refused or expired: the tool did not run.</summary>
    Denied,

    /// <summary>Still awaiting people when the wait ran out: the tool did not run.</summary>
    StillPending,

    /// <summary>The tool ran, but output review held its result back from the model.</summary>
    OutputWithheld,

    /// <summary>The tool ran and threw; the failure was reported.</summary>
    ToolFailed,

    /// <summary>Warden could not be asked (contained, rate limited, unreachable...): the tool did not run.</summary>
    Refused,
}

/// <summary>One guarded tool call as it was settled.</summary>
/// <param name="Function">The model-facing function's name.</param>
/// <param name="OutcomeReportError">Why the outcome could not be reported, when it could not.</param>
public sealed record GuardedToolCall(
    string Function,
    WardenAsk Ask,
    GuardedCallResult Result,
    WardenDecision? Decision,
    WardenDecision? OutputReview,
    Exception? Error,
    Exception? OutcomeReportError = null);
