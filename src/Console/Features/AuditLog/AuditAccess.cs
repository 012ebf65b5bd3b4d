using Warden.Domain.People;

namespace Warden.Features.AuditLog;

public static class AuditAccess
{
    /// <summary>Who reads the log page.</summary>
    public static readonly string[] Readers = [Roles.SecurityOfficer, Roles.Auditor];

    /// <summary>Who may run the chain verification (page and JSON endpoint).</summary>
    public static readonly string[] Verifiers = [Roles.Auditor, Roles.SecurityOfficer, Roles.Administrator];
}
