using Warden.Domain.People;

namespace Warden.Domain.Autonomy;

/// <summary>The person deciding a promotion, and the addresses of the agent's owner and backup owner as they stand now.</summary>
public sealed record PromotionDecider(UserId Id, string Email, string Name, IReadOnlySet<string> Roles, string? OwnerEmail, string? BackupOwnerEmail);
