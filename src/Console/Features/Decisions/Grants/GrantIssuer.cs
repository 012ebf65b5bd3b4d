using Microsoft.Extensions.Options;
using Warden.Infrastructure.AgentIdentity;

namespace Warden.Features.Decisions.Grants;

/// <summary>
/// The issuer grants name: the configured token issuer, or (as OpenIddict does for tokens) the base
/// address of the request being answered. Configure <c>AgentIdentity:Issuer</c> when tools check it.
/// </summary>
public sealed class GrantIssuer(IOptions<AgentIdentityOptions> options, IHttpContextAccessor http)
{
    private readonly string? _configured = options.Value.Issuer?.AbsoluteUri;

    public string Current
    {
        get
        {
            if (_configured is not null)
                return _configured;
            var request = http.HttpContext?.Request;
            return request is null ? "urn:warden" : $"{request.Scheme}://{request.Host.Value}{request.PathBase.Value}/";
        }
    }
}
