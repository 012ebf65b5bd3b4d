namespace Warden.Domain.Policies;

/// <summary>One rule of a policy: when <see cref="Match"/> holds, <see cref="Effect"/> applies.</summary>
public sealed record PolicyRule(string Id, string Description, PolicyMatch Match, PolicyEffect Effect)
{
    /// <summary>Why the rule exists (packs give one for every rule); shown to people, never evaluated.</summary>
    public string? Rationale { get; init; }
}
