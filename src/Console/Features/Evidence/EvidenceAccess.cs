using Warden.Domain.People;

namespace Warden.Features.Evidence;

public static class EvidenceAccess
{
    /// <summary>Who manages pack definitions (schedules).</summary>
    public static readonly string[] Managers = [Roles.SecurityOfficer, Roles.Administrator];

    /// <summary>Who generates packs on demand and retries failed ones.</summary>
    public static readonly string[] Generators = [Roles.Auditor, Roles.SecurityOfficer];

    /// <summary>Who sees the list and downloads; owners only packs scoped to their own agents and addressed to owners.</summary>
    public static readonly string[] Readers = [Roles.Auditor, Roles.SecurityOfficer, Roles.Administrator, Roles.AgentOwner];

    /// <summary>Who runs the verification page.</summary>
    public static readonly string[] Verifiers = [Roles.Auditor, Roles.SecurityOfficer, Roles.Administrator];

    public static readonly string[] DefaultRecipients = [Roles.Auditor, Roles.SecurityOfficer, Roles.Administrator];
}
