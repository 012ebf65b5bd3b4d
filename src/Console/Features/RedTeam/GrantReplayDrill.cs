using System.Security.Cryptography;
using System.Text;
using Warden.Domain.Decisions;
using Warden.Domain.RedTeam;
using Warden.Features.Decisions;
using Warden.Features.Decisions.Grants;

namespace Warden.Features.RedTeam;

/// <summary>
/// Grant replay, drilled without touching a real grant: each scenario builds a synthetic decision
/// record and its grant in memory (never saved) and asks the redemption rule tools go through
/// (<see cref="GrantRedemptions"/>, the same code after the database read) or, for a forged grant,
/// the signature check. It proves the rule refuses these shapes of replay for this agent now; it
/// does not exercise the database's concurrency guard against two redemptions racing.
/// </summary>
public sealed class GrantReplayDrill(GrantRedemptions redemptions, GrantTokens tokens, GrantIssuer issuer, TimeProvider clock)
{
    public static readonly IReadOnlySet<string> Scenarios = new HashSet<string>(StringComparer.Ordinal)
    {
        "redeemed", "other_call", "expired", "cancelled", "denied", "forged",
    };

    /// <summary>The answer to one scenario: refused with the error's code, or allowed (a miss).</summary>
    public (DecisionOutcome Outcome, string Code, string Message) Run(RedTeamCase drill, string agentId)
    {
        ArgumentNullException.ThrowIfNull(drill);
        var now = clock.GetUtcNow();
        var record = Allowed(agentId, now);
        var grant = GrantClaims.Of(record, issuer.Current);
        switch (drill.Replay)
        {
            case "redeemed":
                record.GrantRedeemedAt = now.AddSeconds(-30);
                break;
            case "other_call":
                grant = grant with { Tool = "payments.send", Digest = Digest("another call") };
                break;
            case "expired":
                record.DecidedAt = now - GrantTokens.Lifetime - TimeSpan.FromMinutes(1);
                record.GrantExpiresAt = record.DecidedAt + GrantTokens.Lifetime;
                grant = GrantClaims.Of(record, issuer.Current);
                break;
            case "cancelled":
                record.State = DecisionState.Cancelled;
                break;
            case "denied":
                record.Outcome = DecisionOutcome.Deny;
                record.State = DecisionState.Denied;
                break;
            case "forged":
                return Forged(record);
            default:
                return (DecisionOutcome.Deny, "redteam.unknown_scenario", $"No replay scenario '{drill.Replay}'.");
        }
        return redemptions.Refusal(record, grant, now) is { } refused
            ? (DecisionOutcome.Deny, refused.Code, refused.Message)
            : (DecisionOutcome.Allow, "grant_redeemable", "The redemption rule would redeem this grant.");
    }

    private (DecisionOutcome, string, string) Forged(DecisionRecord record)
    {
        var token = tokens.For(record);
        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var at = firstDot + 5;
        var forged = string.Concat(token.AsSpan(0, at), token[at] == 'A' ? "B" : "A", token.AsSpan(at + 1));
        return tokens.TryRead(forged, out _)
            ? (DecisionOutcome.Allow, "grant_accepted", "The altered grant was read as valid.")
            : (DecisionOutcome.Deny, DecisionErrors.GrantInvalid.Code, "The altered grant's signature does not verify; it is refused.");
    }

    private static DecisionRecord Allowed(string agentId, DateTimeOffset now) => new()
    {
        Id = "dec_redteam_" + Guid.CreateVersion7(now).ToString("N"),
        AgentId = agentId,
        DecidedAt = now,
        Tool = "tickets.read",
        Operation = "read",
        Resource = "drill/resource",
        Outcome = DecisionOutcome.Allow,
        State = DecisionState.Allowed,
        RequestDigest = Digest("the decided call"),
        GrantExpiresAt = now + GrantTokens.Lifetime,
    };

    private static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
