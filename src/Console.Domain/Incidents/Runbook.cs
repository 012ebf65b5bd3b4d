namespace Warden.Domain.Incidents;

/// <summary>A checklist for one type of incident (and the scenario of a tabletop exercise).</summary>
public sealed record Runbook(string Key, IncidentType Type, string Title, IReadOnlyList<string> Steps);

/// <summary>The runbooks Warden ships, kept as data: one per incident type.</summary>
public static class Runbooks
{
    public static readonly IReadOnlyList<Runbook> All =
    [
        new("breaker-anomaly", IncidentType.BreakerAnomaly, "Circuit breaker tripped on a behaviour anomaly",
        [
            "Confirm the agent is contained and its tokens are refused",
            "Read the anomaly that led to the trip and the agent's recent decisions",
            "Ask the agent's owner whether the change in behaviour was expected",
            "Roll back any action that ran and should not have",
            "Decide: release, adjust the baseline or policy, or retire the agent",
        ]),
        new("breaker-violations", IncidentType.BreakerViolations, "Circuit breaker tripped on a burst of violations",
        [
            "Confirm the agent is contained and its tokens are refused",
            "List the violations in the burst and the rules they broke",
            "Mark false positives in the violation review",
            "Roll back any action that ran and should not have",
            "Fix the policy or the agent's configuration before release",
        ]),
        new("breaker-budget", IncidentType.BreakerBudget, "Circuit breaker tripped on a budget overrun",
        [
            "Confirm the agent is contained and its tokens are refused",
            "Reconcile the spend the agent reported with the tool's records",
            "Roll back or reverse the payments that exceeded the cap",
            "Review the agent's impact caps with its owner",
        ]),
        new("manual-kill", IncidentType.ManualKill, "Agent stopped by hand",
        [
            "Record why the agent was stopped",
            "Confirm the agent is contained and its tokens are refused",
            "Review the agent's decisions since the last known good state",
            "Roll back any action that ran and should not have",
            "Agree the conditions for release with the owner",
        ]),
        new("global-kill", IncidentType.GlobalKill, "All agents stopped",
        [
            "Tell the organisation that every agent is stopped, and why",
            "Confirm the instances refuse every agent (no decision allowed since the trip)",
            "Find the cause and the agents it touched",
            "Release agents by segment once each is cleared",
            "Two officers release the global containment",
        ]),
        new("injection", IncidentType.Injection, "Prompt injection",
        [
            "Confirm the agent is contained and its tokens are refused",
            "Find the input that carried the injection and where it came from",
            "Check what the agent did after reading it; roll back what ran",
            "Block the source or tighten the injection guardrail",
        ]),
        new("data-exfiltration", IncidentType.DataExfiltration, "Data exfiltration",
        [
            "Confirm the agent is contained and its tokens are refused",
            "List the data that left and where it went",
            "Tell the data protection officer; decide on notification duties",
            "Close the egress path in the policy or the resource scopes",
        ]),
        new("credential-compromise", IncidentType.CredentialCompromise, "Credential compromise",
        [
            "Confirm the agent is contained and its tokens are refused",
            "Rotate the agent's credentials and revoke the old ones",
            "Find every use of the credential since it may have leaked",
            "Find and close the leak",
        ]),
    ];

    public static Runbook For(IncidentType type) => All.First(r => r.Type == type);

    public static Runbook? Find(string? key) => All.FirstOrDefault(r => string.Equals(r.Key, key, StringComparison.Ordinal));
}
