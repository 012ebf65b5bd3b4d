using Warden.Domain.People;

namespace Warden.Features.Gateway;

/// <summary>Officers manage the gateway; auditors and owners read it.</summary>
public static class GatewayAccess
{
    public static readonly string[] Managers = [Roles.SecurityOfficer];
    public static readonly string[] Readers = [Roles.SecurityOfficer, Roles.Auditor, Roles.AgentOwner];
}
