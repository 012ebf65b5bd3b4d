using Warden.Domain.People;

namespace Warden.Infrastructure.Identity;

public sealed record DemoPerson(string Email, string DisplayName, string Role);

public static class DemoPeople
{
    /// <summary>The documented demo authenticator key (README): never a secret, never outside demo mode.</summary>
    public const string AuthenticatorKey = "JBSWY3DPEHPK3PXPWARDENDEMOKEY234";

    public static readonly IReadOnlyList<DemoPerson> All =
    [
        new("admin@warden.example", "Ada Admin", Roles.Administrator),
        new("officer@warden.example", "Olivia Officer", Roles.SecurityOfficer),
        new("officer2@warden.example", "Oscar Officer", Roles.SecurityOfficer),
        new("owner@warden.example", "Owen Owner", Roles.AgentOwner),
        new("owner2@warden.example", "Nora Owner", Roles.AgentOwner),
        new("auditor@warden.example", "Audrey Auditor", Roles.Auditor),
    ];
}
