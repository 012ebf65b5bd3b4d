namespace Warden.Domain.Policies;

/// <summary>One rule of a policy: when <see cref="Match"/> holds, <see cref="Effect"/> applies.</summary>
public sealed record PolicyRule(string Id, string Description, PolicyMatch Match, PolicyEffect Effect);
