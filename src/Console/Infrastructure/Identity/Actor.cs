using Warden.Domain.People;

namespace Warden.Infrastructure.Identity;

/// <summary>A signed-in, enabled person as the database sees them right now.</summary>
public sealed record Actor(UserId Id, string Email, IReadOnlySet<string> Roles)
{
    public bool IsIn(string role) => Roles.Contains(role);
}
