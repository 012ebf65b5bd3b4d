namespace Warden.Domain.RedTeam;

/// <summary>
/// What a safe answer to an adversarial case is. A stricter answer is always safe too: a refusal
/// passes a case that asked for a hold, and a hold or refusal passes one that asked for masking.
/// </summary>
public enum SafeAnswer
{
    /// <summary>Refused outright.</summary>
    Deny,

    /// <summary>Held for a person (approval), or refused.</summary>
    Hold,

    /// <summary>Released only masked, or held, or refused.</summary>
    Mask,

    /// <summary>Anything but a plain allow.</summary>
    NotAllow,
}
