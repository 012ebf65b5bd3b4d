namespace Warden.Client;

/// <summary>
/// The token endpoint refused the client's credentials: a wrong client id or secret, an unknown or
/// unregistered key, an inactive or contained agent, or revoked credentials.
/// </summary>
public sealed class WardenAuthenticationException : WardenException
{
    public WardenAuthenticationException(string clientId, string error, string? description, int statusCode)
        : base($"Warden refused the credentials of client '{clientId}' ({error}): {description?.TrimEnd('.') ?? "no detail"}. "
            + "Check the client id and its secret or private key, and that the agent is active.")
    {
        ClientId = clientId;
        Error = error;
        ErrorDescription = description;
        HttpStatus = statusCode;
    }

    public string ClientId { get; }

    /// <summary>The OAuth 2.0 error code, e.g. <c>invalid_client</c>.</summary>
    public string Error { get; }

    public string? ErrorDescription { get; }

    public int HttpStatus { get; }
}
