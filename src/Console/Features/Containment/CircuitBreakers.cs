using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Warden.Domain.Containment;
using Warden.Domain.Decisions;
using Warden.Infrastructure.Events;

namespace Warden.Features.Containment;

/// <summary>One automatic trip rule. Without an agent or segment it is a global default.</summary>
public sealed class BreakerRule
{
    public const string Violations = "violations";
    public const string DenyRatio = "deny_ratio";
    public const string BudgetOverrun = "budget_overrun";

    public string Id { get; set; } = string.Empty;
    public string Kind { get; set; } = Violations;
    public string? Segment { get; set; }
    public string? AgentId { get; set; }

    /// <summary>Violations (or budget overruns) within the window that trip it.</summary>
    public int Threshold { get; set; } = 10;

    public int WindowSeconds { get; set; } = 60;

    /// <summary>For violations: only these reason codes count (empty: every violation, rate limiting included).</summary>
    public string[] Codes { get; set; } = [];

    /// <summary>For deny_ratio: the share of denials over the last <see cref="LastDecisions"/> that trips it.</summary>
    public double Ratio { get; set; } = 0.8;

    public int LastDecisions { get; set; } = 50;

    public bool AppliesTo(string agentId, string segment) =>
        (AgentId is null || AgentId == agentId) && (Segment is null || string.Equals(Segment, segment, StringComparison.OrdinalIgnoreCase));
}

public sealed class ContainmentOptions
{
    public const string SectionName = "Containment";

    public List<BreakerRule> Breakers { get; set; } =
    [
        new()
        {
            Id = "violation-burst", Kind = BreakerRule.Violations, Threshold = 20, WindowSeconds = 60,
            Codes =
            [
                DecisionCodes.ToolNotAllowed, DecisionCodes.OperationNotAllowed, DecisionCodes.ResourceOutOfScope, DecisionCodes.CapExceeded, DecisionCodes.CurrencyMismatch,
                DecisionCodes.ImpactOverReported, DecisionCodes.ImpactOverCap, DecisionCodes.PreviewMismatch,
            ],
        },
        new() { Id = "deny-ratio", Kind = BreakerRule.DenyRatio, Ratio = 0.9, LastDecisions = 100 },
        new() { Id = "budget-overrun", Kind = BreakerRule.BudgetOverrun, Threshold = 3, WindowSeconds = 3600 },
    ];
}

/// <summary>
/// Watches every decision and trips an agent containment (reason <c>breaker:&lt;rule&gt;</c>) when a
/// rule's bound is crossed: bursts of violations, a high deny ratio, repeated budget overruns. State is
/// per agent and in memory; a trip resets it.
/// </summary>
public sealed class CircuitBreakers(IOptions<ContainmentOptions> options, ContainmentRegistry registry, IServiceProvider services, ILogger<CircuitBreakers> logger)
    : IEventHandler<DecisionCommitted>, IEventHandler<OutcomeViolated>
{
    private readonly ConcurrentDictionary<string, AgentWindow> _agents = new(StringComparer.Ordinal);

    public IReadOnlyList<BreakerRule> Rules => options.Value.Breakers;

    /// <summary>
    /// Told after each decision commits; output reviews are not actions and do not count. A breaker
    /// that trips is committed (and the agent refused) before the decision that tripped it is answered.
    /// </summary>
    public async Task HandleAsync(DecisionCommitted happened, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(happened);
        if (happened.IsOutputReview)
            return;
        if (Observe(happened.AgentId, happened.OwnerId, happened.Segment, happened.Decision, happened.DecidedAt) is { } tripped)
            await TripAsync(happened.AgentId, tripped.Rule, tripped.Detail);
    }

    /// <summary>An outcome that went beyond its declaration counts as a violation when it is reported.</summary>
    public async Task HandleAsync(OutcomeViolated happened, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(happened);
        if (registry.Current.Covering(happened.AgentId, happened.OwnerId, happened.Segment) is not null)
            return;
        if (Feed(happened.AgentId, happened.Segment, happened.ReportedAt, null, happened.Code, isViolation: true) is { } tripped)
            await TripAsync(happened.AgentId, tripped.Rule, tripped.Detail);
    }

    /// <summary>Feeds one recorded decision; returns the rule that tripped and why, if one did.</summary>
    public (BreakerRule Rule, string Detail)? Observe(string agentId, string ownerId, string segment, Decision decision, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.PrimaryReason.Code == DecisionCodes.Contained || registry.Current.Covering(agentId, ownerId, segment) is not null)
            return null;
        // Rate limiting already answers volume; only a rule that names rate_limited counts it.
        var code = decision.PrimaryReason.Code;
        return Feed(agentId, segment, at, code == DecisionCodes.RateLimited ? null : decision.Outcome == DecisionOutcome.Deny, code, decision.IsViolation);
    }

    /// <param name="denied">Whether a decision was a denial, for the deny ratio; null when it does not count there.</param>
    private (BreakerRule Rule, string Detail)? Feed(string agentId, string segment, DateTimeOffset at, bool? denied, string code, bool isViolation)
    {
        var window = _agents.GetOrAdd(agentId, _ => new AgentWindow());
        BreakerRule? tripped = null;
        string? detail = null;
        var rules = options.Value.Breakers;
        lock (window)
        {
            if (denied is { } deny)
                window.Record(deny, rules.Count == 0 ? 0 : rules.Max(r => r.Kind == BreakerRule.DenyRatio ? r.LastDecisions : 0));
            // Keep only what some rule counts, and only as long as the longest window.
            if (isViolation && rules.Any(r => Counts(r, code)))
                window.Violations.Enqueue((at, code));
            var keep = TimeSpan.FromSeconds(rules.Count == 0 ? 0 : rules.Max(r => r.WindowSeconds));
            while (window.Violations.Count > 0 && window.Violations.Peek().At < at - keep)
                window.Violations.Dequeue();

            foreach (var rule in options.Value.Breakers.Where(r => r.AppliesTo(agentId, segment)))
            {
                detail = Check(rule, window, at);
                if (detail is not null)
                {
                    tripped = rule;
                    break;
                }
            }
            if (tripped is not null)
            {
                window.ClearOutcomes();
                window.Violations.Clear();
            }
        }
        return tripped is null ? null : (tripped, detail!);
    }

    private async Task TripAsync(string agentId, BreakerRule rule, string detail)
    {
        ContainmentLog.BreakerTripped(logger, rule.Id, agentId);
        var engine = services.GetRequiredService<ContainmentEngine>();
        try
        {
            var trip = await engine.TripAsync(ContainmentScope.Agent, agentId, $"breaker:{rule.Id} ({detail})",
                new ContainmentActor(TripSource.Breaker, null, null, $"breaker:{rule.Id}"), CancellationToken.None);
            if (trip.IsFailure && trip.Error != ContainmentErrors.AlreadyContained)
                ContainmentLog.BreakerTripFailed(logger, null, rule.Id, agentId, trip.Error.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ContainmentLog.BreakerTripFailed(logger, ex, rule.Id, agentId, ex.Message);
        }
    }

    private static bool Counts(BreakerRule rule, string code) => rule.Kind switch
    {
        BreakerRule.Violations => rule.Codes.Length == 0 || rule.Codes.Contains(code),
        BreakerRule.BudgetOverrun => code == DecisionCodes.DailyBudgetExceeded,
        _ => false,
    };

    private static string? Check(BreakerRule rule, AgentWindow window, DateTimeOffset at)
    {
        var since = at.AddSeconds(-rule.WindowSeconds);
        switch (rule.Kind)
        {
            case BreakerRule.Violations:
                var count = window.Violations.Count(v => v.At >= since && (rule.Codes.Length == 0 || rule.Codes.Contains(v.Code)));
                return count >= rule.Threshold ? $"{count} violations in {rule.WindowSeconds} s" : null;
            case BreakerRule.BudgetOverrun:
                var overruns = window.Violations.Count(v => v.At >= since && v.Code == DecisionCodes.DailyBudgetExceeded);
                return overruns >= rule.Threshold ? $"{overruns} budget overruns in {rule.WindowSeconds} s" : null;
            case BreakerRule.DenyRatio:
                if (window.Outcomes.Count < rule.LastDecisions)
                    return null;
                // The window keeps as many outcomes as the largest rule asks for, with a running count of denials.
                var denied = window.Outcomes.Count == rule.LastDecisions
                    ? window.Denied
                    : window.Outcomes.Skip(window.Outcomes.Count - rule.LastDecisions).Count(d => d);
                var ratio = denied / (double)rule.LastDecisions;
                return ratio >= rule.Ratio ? $"{ratio:P0} of the last {rule.LastDecisions} decisions denied" : null;
            default:
                return null;
        }
    }

    private sealed class AgentWindow
    {
        public Queue<bool> Outcomes { get; } = new();

        public int Denied { get; private set; }

        public void Record(bool denied, int keep)
        {
            Outcomes.Enqueue(denied);
            if (denied)
                Denied++;
            while (Outcomes.Count > keep && Outcomes.Count > 0)
            {
                if (Outcomes.Dequeue())
                    Denied--;
            }
        }

        public void ClearOutcomes()
        {
            Outcomes.Clear();
            Denied = 0;
        }
        public Queue<(DateTimeOffset At, string Code)> Violations { get; } = new();
    }
}
