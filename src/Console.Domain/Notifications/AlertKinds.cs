using Warden.Domain.People;

namespace Warden.Domain.Notifications;

/// <summary>
/// One kind of alert that leaves the console: who may receive it (roles, and the owners of the agents
/// it concerns) and who receives it unless they choose otherwise.
/// </summary>
public sealed record AlertKind(string Key, string Label, IReadOnlyList<string> Roles, IReadOnlyList<string> DefaultRoles, bool ToOwners)
{
    /// <summary>Whether a person may receive this kind at all.</summary>
    public bool Reaches(IReadOnlySet<string> roles, bool ownsAConcernedAgent) =>
        Roles.Any(roles.Contains) || (ToOwners && ownsAConcernedAgent);

    /// <summary>What a person receives when they have not chosen: role-sensible defaults.</summary>
    public bool OnByDefault(IReadOnlySet<string> roles, bool ownsAConcernedAgent) =>
        DefaultRoles.Any(roles.Contains) || (ToOwners && ownsAConcernedAgent);

    /// <summary>Whether a person receives this kind by e-mail: their own choice when they made one, else the default.</summary>
    public bool SendsEmail(IReadOnlySet<string> roles, bool ownsAConcernedAgent, bool? choice) =>
        Reaches(roles, ownsAConcernedAgent) && (choice ?? OnByDefault(roles, ownsAConcernedAgent));
}

/// <summary>Every alert kind, keyed by the outbox or audit event kind it comes from.</summary>
public static class AlertKinds
{
    public const string ApprovalWaiting = "approval.opened";
    public const string ApprovalEscalated = "approval.escalated";
    public const string Tripped = "containment.tripped";
    public const string Released = "containment.released";
    public const string Anomaly = "anomaly.detected";
    public const string Demoted = "autonomy.demoted";
    public const string AttestationDue = "attestation.due";
    public const string AttestationOverdue = "attestation.overdue";
    public const string CredentialExpiring = "credential.expiring";
    public const string PackReady = "evidence.generated";
    public const string PackFailed = "evidence.failed";
    public const string IncidentOpened = "incident.opened";

    private static readonly string[] Officers = [People.Roles.SecurityOfficer];
    private static readonly string[] None = [];

    public static readonly IReadOnlyList<AlertKind> All =
    [
        new(ApprovalWaiting, "Approval waiting", Officers, Officers, ToOwners: false),
        new(ApprovalEscalated, "Approval escalated", Officers, Officers, ToOwners: false),
        new(Tripped, "Kill switch tripped", Officers, Officers, ToOwners: true),
        new(Released, "Containment released", Officers, Officers, ToOwners: true),
        new(Anomaly, "Anomaly detected", Officers, None, ToOwners: true),
        new(Demoted, "Agent demoted", Officers, None, ToOwners: true),
        new(AttestationDue, "Attestation due", Officers, None, ToOwners: true),
        new(AttestationOverdue, "Attestation overdue", Officers, None, ToOwners: true),
        new(CredentialExpiring, "Credential about to expire", Officers, None, ToOwners: true),
        new(PackReady, "Evidence pack ready", [People.Roles.Auditor, People.Roles.SecurityOfficer, People.Roles.Administrator], [People.Roles.Auditor], ToOwners: false),
        new(PackFailed, "Evidence pack failed", [People.Roles.Auditor, People.Roles.SecurityOfficer, People.Roles.Administrator], [People.Roles.Auditor, People.Roles.Administrator], ToOwners: false),
        new(IncidentOpened, "Incident opened", Officers, Officers, ToOwners: true),
    ];

    private static readonly Dictionary<string, AlertKind> ByKey = All.ToDictionary(k => k.Key, StringComparer.Ordinal);

    public static AlertKind? Find(string key) => ByKey.GetValueOrDefault(key);

    /// <summary>The kinds followed in the audit log; the others are queued to the outbox by the features that raise them.</summary>
    public static readonly IReadOnlySet<string> FromAuditLog = new HashSet<string>(StringComparer.Ordinal)
    {
        Tripped, Released, Anomaly, PackReady, PackFailed, IncidentOpened,
    };
}
