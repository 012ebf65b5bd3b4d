using Warden.Domain.Containment;

namespace Warden.Domain.Incidents;

/// <summary>What a trip looked like, enough to say which kind of incident it opened.</summary>
public sealed record TripFacts(ContainmentScope Scope, TripSource Source, string TrippedBy, string Reason);

/// <summary>Chooses the incident type (and so the runbook) from the trip and its reason.</summary>
public static class IncidentClassifier
{
    public static IncidentType Classify(TripFacts trip)
    {
        ArgumentNullException.ThrowIfNull(trip);
        if (trip.Scope == ContainmentScope.Global)
            return IncidentType.GlobalKill;
        var reason = trip.Reason.ToLowerInvariant();
        if (Mentions(reason, "injection"))
            return IncidentType.Injection;
        if (Mentions(reason, "exfiltrat", "data leak", "egress"))
            return IncidentType.DataExfiltration;
        if (Mentions(reason, "credential", "secret leak", "token leak", "compromised key"))
            return IncidentType.CredentialCompromise;
        if (trip.Source == TripSource.Breaker)
        {
            if (reason.StartsWith("breaker:anomaly", StringComparison.Ordinal))
                return IncidentType.BreakerAnomaly;
            return Mentions(reason, "budget") ? IncidentType.BreakerBudget : IncidentType.BreakerViolations;
        }
        return IncidentType.ManualKill;
    }

    private static bool Mentions(string text, params string[] words) => words.Any(w => text.Contains(w, StringComparison.Ordinal));
}
