using System.Security.Claims;
using ModelContextProtocol;
using Warden.Features.Containment;
using Warden.Infrastructure.AgentIdentity;

namespace Warden.Features.Gateway;

/// <summary>
/// Who is calling the gateway: the agent of the bearer token, checked against the token gate on
/// every request, so a contained, suspended or retired agent is refused at once, mid-session too.
/// </summary>
public sealed class GatewayAgents(AgentTokenGate gate, ContainmentRegistry containment, TimeProvider clock)
{
    /// <summary>The agent's id; a refused agent gets an MCP error carrying the reason.</summary>
    public string Require(ClaimsPrincipal? user)
    {
        var check = user is null ? AgentTokenCheck.Refused(AgentTokenRefusal.NotAnAgentToken) : gate.Check(user);
        if (check.IsAllowed)
            return check.AgentId!;
        if (check.Refusal == AgentTokenRefusal.Contained)
        {
            // Counts towards the trip's time-to-contain, as a refused API call does.
            containment.NoteRefusal(check.AgentId!, clock.GetUtcNow());
            throw Refused($"Warden refused: the agent is contained ({containment.ReasonFor(check.AgentId!) ?? "no reason given"}).");
        }
        throw Refused(check.Refusal switch
        {
            AgentTokenRefusal.AgentNotActive => "Warden refused: the agent is not active (suspended or retired); its tokens are refused.",
            AgentTokenRefusal.TokenInvalidated => "Warden refused: this token was invalidated; get a new one.",
            _ => "Warden refused: the bearer token is not an agent token.",
        });
    }

    private static McpProtocolException Refused(string message) => new(message, McpErrorCode.InvalidRequest);
}
