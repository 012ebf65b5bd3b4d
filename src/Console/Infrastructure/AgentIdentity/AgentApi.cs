namespace Warden.Infrastructure.AgentIdentity;

/// <summary>Names the agent API's endpoints use: bearer tokens only, never the console's cookies.</summary>
public static class AgentApi
{
    public const string Audience = "warden-api";

    /// <summary>
    /// The only authentication scheme allowed on <c>/api/*</c>: OpenIddict's validation, with tokens
    /// already validated remembered until they expire (<see cref="AgentBearerHandler"/>).
    /// </summary>
    public const string AuthenticationScheme = AgentBearerHandler.SchemeName;

    /// <summary>Authorization policy for <c>/api/*</c>: a validated agent access token, nothing else.</summary>
    public const string Policy = "AgentApi";

    public const string TokenEndpoint = "/connect/token";
}

/// <summary>The automation API (security tooling): tokens of automation clients with the containment scope only.</summary>
public static class AutomationApi
{
    public const string Policy = "AutomationApi";
}

/// <summary>
/// The tool API (grant redemption): any validated bearer token reaches it, so that the service can
/// answer an agent's token or a client without the grants scope with a problem naming the scope.
/// </summary>
public static class ToolApi
{
    public const string Policy = "ToolApi";
}
