namespace Warden.Features.Agents;

/// <summary>The person chosen in an ownership dialog, with the officer's reason when one is asked for.</summary>
public sealed record OwnerPick(string PersonId, string? Reason);
