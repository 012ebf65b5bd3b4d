using Warden.Domain.Decisions;

namespace Warden.Features.Policies;

/// <summary>A request as it was recorded when decided: what a replay decides again, with its stored guardrail findings.</summary>
public sealed record RecordedRequest(
    string DecisionId,
    string AgentId,
    DateTimeOffset DecidedAt,
    string Tool,
    string Operation,
    string Resource,
    int Records,
    decimal Amount,
    string? Currency,
    ImpactFigures ImpactDeclared,
    IReadOnlyList<GuardrailFinding> Findings);

/// <summary>
/// The requests decided in a window (<c>from</c> inclusive, <c>to</c> exclusive), for policy replay;
/// reviews of an agent's output are not requests. Implemented where decisions are recorded.
/// </summary>
public interface IRecordedRequests
{
    /// <summary>How many requests the window holds, counting no further than <paramref name="max"/>.</summary>
    Task<int> CountAsync(DateTimeOffset from, DateTimeOffset to, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="take"/> requests of the window, newest first (by time, then id), after
    /// <paramref name="previous"/>, the last request of the page before, when there is one.
    /// </summary>
    Task<IReadOnlyList<RecordedRequest>> GetPageAsync(DateTimeOffset from, DateTimeOffset to, RecordedRequest? previous, int take, CancellationToken cancellationToken);
}
