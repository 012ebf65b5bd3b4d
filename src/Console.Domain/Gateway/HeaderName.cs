namespace Warden.Domain.Gateway;

/// <summary>An HTTP header name (an RFC 9110 token) Warden may send to an upstream.</summary>
public static class HeaderName
{
    private static readonly string[] Reserved = ["host", "content-length", "content-type", "transfer-encoding", "connection", "mcp-session-id", "mcp-protocol-version"];

    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= 100 }
        && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal))
        && !Reserved.Contains(name.ToLowerInvariant());
}
