namespace Warden.Domain.Behaviour;

/// <summary>What about an agent's behaviour left its baseline. Stored by name; never renumber.</summary>
public enum AnomalyKind
{
    RateSpike,
    NewTool,
    UnusualHour,
    DenialBurst,
}

/// <summary>
/// One departure from the baseline. <paramref name="Score"/> runs from 0 to 100: 50 is the detector's
/// bound just crossed, higher is further beyond it (see ADR 0013 for each kind's scale).
/// </summary>
public sealed record Anomaly(AnomalyKind Kind, int Score, string Explanation);

/// <summary>One committed decision as the baselines see it.</summary>
public readonly record struct BehaviourObservation(DateTimeOffset At, string Tool, string Resource, bool Denied);
