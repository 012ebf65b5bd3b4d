using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Warden.Domain;
using Warden.Features.Decisions;

namespace Warden.Features.Gateway;

/// <summary>
/// What the agent gets when a call is not run or its output is withheld. Refusals of the call are
/// tool errors (<c>isError: true</c>) the model can read; malformed calls are protocol errors.
/// </summary>
internal static class GatewayReplies
{
    public static CallToolResult Error(string text) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = text }],
    };

    public static CallToolResult Refused(DecisionResponse answer, int waitedSeconds) => Error(answer switch
    {
        { Outcome: "pending" } =>
            $"Warden held this call for an officer's approval and nobody decided within {waitedSeconds} s, so it was not run (decision {answer.Id}).",
        { State: "expired" } => $"Warden held this call for approval and the approval expired, so it was not run (decision {answer.Id}).",
        _ => $"Warden denied this call: {Reasons(answer)} (decision {answer.Id}).",
    });

    public static CallToolResult Withheld(DecisionResponse review, int waitedSeconds) => Error(review.Outcome == "pending"
        ? $"The call ran, but its output is held for an officer's review and nobody released it within {waitedSeconds} s (review {review.Id})."
        : $"The call ran, but Warden withheld its output: {Reasons(review)} (review {review.Id}).");

    /// <summary>A call Warden could not decide on is refused with a protocol error, and never run.</summary>
    public static McpProtocolException Invalid(Error error) => error.Code switch
    {
        DecisionErrors.SchemaCode => new($"The arguments fail the tool's schema: {error.Message.Replace('\n', ';')}", McpErrorCode.InvalidParams),
        DecisionErrors.InvalidCode or "decision.unknown_agent" => new($"Warden cannot decide on this call: {error.Message}", McpErrorCode.InvalidParams),
        DecisionErrors.ContainedCode => new($"Warden refused: the agent is contained ({error.Message}).", McpErrorCode.InvalidRequest),
        _ => new($"Warden could not decide on this call, so it is refused: {error.Message}", McpErrorCode.InternalError),
    };

    private static string Reasons(DecisionResponse answer) =>
        answer.Reasons.Count == 0 ? "no reason given" : string.Join("; ", answer.Reasons.Select(r => $"{r.Message} [{r.Code}]"));
}
