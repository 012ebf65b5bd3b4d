using Warden.Domain.People;

namespace Warden.Tests.Support;

/// <summary>The people the demo seeding creates, as the tests sign in with them.</summary>
public static class DemoAccounts
{
    public const string Password = "Warden-Demo-1";

    public const string Admin = "admin@warden.example";
    public const string Officer = "officer@warden.example";
    public const string Officer2 = "officer2@warden.example";
    public const string Owner = "owner@warden.example";
    public const string Owner2 = "owner2@warden.example";
    public const string Auditor = "auditor@warden.example";

    /// <summary>One demo person for each role.</summary>
    public static string ForRole(string role) => role switch
    {
        Roles.Administrator => Admin,
        Roles.SecurityOfficer => Officer,
        Roles.AgentOwner => Owner,
        Roles.Auditor => Auditor,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a role."),
    };
}
