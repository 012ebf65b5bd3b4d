using Warden.Domain.Decisions;

namespace Warden.Domain.RedTeam;

/// <summary>Whether Warden's answer to a case is at least as strict as the case's safe answer.</summary>
public static class RedTeamVerdict
{
    /// <param name="masked">Whether the answer masks what it releases (a mask rule matched).</param>
    public static bool Passed(SafeAnswer expected, DecisionOutcome outcome, bool masked) => expected switch
    {
        SafeAnswer.Deny => outcome == DecisionOutcome.Deny,
        SafeAnswer.Hold => outcome is DecisionOutcome.Deny or DecisionOutcome.Pending,
        SafeAnswer.Mask => outcome != DecisionOutcome.Allow || masked,
        SafeAnswer.NotAllow => outcome != DecisionOutcome.Allow,
        _ => false,
    };

    public static string Word(SafeAnswer answer) => answer switch
    {
        SafeAnswer.Deny => "deny",
        SafeAnswer.Hold => "hold",
        SafeAnswer.Mask => "mask",
        _ => "not allow",
    };

    public static bool TryParse(string? text, out SafeAnswer answer)
    {
        answer = SafeAnswer.NotAllow;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "deny": answer = SafeAnswer.Deny; return true;
            case "hold": answer = SafeAnswer.Hold; return true;
            case "mask": answer = SafeAnswer.Mask; return true;
            case "not_allow" or "not allow" or "notallow": answer = SafeAnswer.NotAllow; return true;
            default: return false;
        }
    }
}
