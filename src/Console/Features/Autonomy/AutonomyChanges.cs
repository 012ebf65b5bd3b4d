namespace Warden.Features.Autonomy;

/// <summary>The kinds of agent change record (and so of <c>agent.*</c> audit event) that move an autonomy level.</summary>
public static class AutonomyChanges
{
    public const string Promoted = "autonomy_promoted";
    public const string Demoted = "autonomy_demoted";

    public static readonly string[] Kinds = [Promoted, Demoted];
}
