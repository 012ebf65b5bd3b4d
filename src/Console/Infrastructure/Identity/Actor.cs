using Warden.Domain.People;

namespace Warden.Infrastructure.Identity;

/// <summary>A signed-in, enabled person as the database sees them right now.</summary>
public sealed record Actor(UserId Id, string Email, IReadOnlySet<string> Roles, string? DisplayName = null)
{
    /// <summary>How the person is shown: their display name, or their e-mail when they have none.</summary>
    public string Name => string.IsNullOrWhiteSpace(DisplayName) ? Email : DisplayName;

    public bool IsIn(string role) => Roles.Contains(role);
}
