using Warden.Domain;

namespace Warden.Features.Gateway;

/// <summary>Why a call through the gateway did not reach, or did not come back from, its upstream.</summary>
public static class GatewayCallErrors
{
    public const string UnavailableCode = "gateway.upstream_unavailable";
    public const string FailedCode = "gateway.upstream_failed";

    public static Error UpstreamUnavailable(string message) => new(UnavailableCode, message);

    public static Error UpstreamFailed(string message) => new(FailedCode, message);
}
