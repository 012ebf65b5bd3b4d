namespace Warden.Client;

public enum WardenGrantRefusal
{
    /// <summary>Forged, tampered, malformed, for another audience or signed by an unknown key.</summary>
    Invalid,

    /// <summary>The call differs from the one decided (digest, tool, operation or resource).</summary>
    Mismatch,

    Expired,

    /// <summary>Already used: a grant is single-use.</summary>
    Used,

    /// <summary>The agent was contained, suspended or its credentials revoked since the decision.</summary>
    Revoked,

    /// <summary>The decision cannot be executed (e.g. it is not an allowed action).</summary>
    NotUsable,
}

/// <summary>Warden refused a grant when reporting an outcome or redeeming it.</summary>
public sealed class WardenGrantRefusedException(WardenProblem problem, WardenGrantRefusal refusal) : WardenException(problem)
{
    public WardenGrantRefusal Refusal { get; } = refusal;
}
