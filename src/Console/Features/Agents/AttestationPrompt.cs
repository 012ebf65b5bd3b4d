namespace Warden.Features.Agents;

/// <summary>
/// When the agent page offers its owner to attest: not right after registering, which was itself an
/// attestation, but once the agent has been edited since, or the next attestation falls due within the
/// reminder window, or is overdue. The service accepts an attestation at any time.
/// </summary>
public static class AttestationPrompt
{
    public static readonly TimeSpan ReminderWindow = TimeSpan.FromDays(7);

    public static bool IsOffered(AgentDetails agent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (!agent.Permissions.CanAttest)
            return false;
        var summary = agent.Summary;
        return summary.AttestationOverdue
            || summary.AttestationDueAt - now <= ReminderWindow
            || agent.Changes.Any(c => c.Kind == "edited" && c.At >= summary.LastAttestedAt);
    }
}
