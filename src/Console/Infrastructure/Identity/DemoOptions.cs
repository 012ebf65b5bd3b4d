namespace Warden.Infrastructure.Identity;

public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Set by the <c>--demo</c> switch.</summary>
    public bool Enabled { get; set; }

    public string Password { get; set; } = "Warden-Demo-1";

    /// <summary>
    /// The authenticator key (base32) every demo person is enrolled with, so that a demo sign-in can
    /// give its second factor from any authenticator app, or from the code the demo shows.
    /// </summary>
    public string AuthenticatorKey { get; set; } = DemoPeople.AuthenticatorKey;

    /// <summary>Client secret of the demo agents.</summary>
    public string AgentSecret { get; set; } = "Warden-Demo-Agent-1";

    /// <summary>With <see cref="Enabled"/>, whether the demo agents act on their own.</summary>
    public bool RunAgents { get; set; } = true;
}
