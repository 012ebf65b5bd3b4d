using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Containment;
using Warden.Domain.Decisions;
using Warden.Domain.Policies;
using Warden.Domain.Previews;
using Warden.Features.Decisions.Previews;
using Warden.Features.Guardrails;

namespace Warden.Features.Decisions.Stages;

/// <summary>One request on its way through the stages; each stage fills in what it found.</summary>
public sealed class DecisionAttempt(string agentId, DecisionRequestBody body, string? idempotencyKey)
{
    public string AgentId { get; } = agentId;

    public DecisionRequestBody Body { get; } = body;

    public string? IdempotencyKey { get; } = idempotencyKey;

    /// <summary>The well-formed request and the digest it is bound to (shape).</summary>
    public DecisionRequest Request { get; set; } = null!;

    public string Digest { get; set; } = string.Empty;

    /// <summary>The agent as registered, and what the engine sees of it (identity and lifecycle).</summary>
    public Agent Agent { get; set; } = null!;

    public AgentView View { get; set; } = null!;

    public Screening Screening { get; set; } = Screening.Clean;

    /// <summary>The clock reading the request is decided under.</summary>
    public DateTimeOffset Now { get; set; }

    public Decision Decision { get; set; } = null!;

    /// <summary>The containment set the engine decided against; the record stage checks it still holds.</summary>
    public ContainmentSet DecidedUnder { get; set; } = ContainmentSet.Empty;

    /// <summary>Set when a containment the decision did not see covers the agent by the time it is recorded: it is decided again.</summary>
    public bool DecideAgain { get; set; }

    /// <summary>The state epoch the request is decided under, read before anything the decision depends on (identity and lifecycle).</summary>
    public long Epoch { get; set; }

    /// <summary>
    /// Set when a newer state epoch was in force when the decision was to be recorded: it is decided
    /// again from identity and lifecycle on, once this instance's view has caught up with it.
    /// </summary>
    public long? DecideAgainUnder { get; set; }

    /// <summary>The durable record, and what its followers are told.</summary>
    public DecisionRecord Record { get; set; } = null!;

    /// <summary>The preview the agent sent, well formed (shape); null when it sent none.</summary>
    public ActionPreview? GivenPreview { get; set; }

    /// <summary>Whether the tool's hook declares a preview, and where the tool's own is fetched from (previews).</summary>
    public bool PreviewDeclared { get; set; }

    public Uri? PreviewFetchFrom { get; set; }

    /// <summary>The preview the decision stands on, screened: the agent's, or the tool's once fetched.</summary>
    public ScreenedPreview? Preview { get; set; }

    /// <summary>The decision's id when it is needed before the record (the tool's preview endpoint is told it).</summary>
    public string? DecisionId { get; set; }

    /// <summary>The usage and policy the engine decided with, so the request can be decided again with a fetched preview.</summary>
    public UsageView Usage { get; set; } = UsageView.None;

    public Policy Policy { get; set; } = Policy.Empty;

    public DecisionCommitted Committed { get; set; } = null!;
}

/// <summary>
/// One step of the decision path. It returns null to let the attempt go on, or the answer that ends
/// it: a problem (not a decision), an earlier answer for the same key, or the recorded decision.
/// </summary>
public interface IDecisionStage
{
    ValueTask<Result<DecisionResponse>?> RunAsync(DecisionAttempt attempt, CancellationToken cancellationToken);
}
