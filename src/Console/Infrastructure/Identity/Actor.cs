using Warden.Domain.People;

namespace Warden.Infrastructure.Identity;

/// <summary>A signed-in, enabled person as the database sees them right now, with what their session proved.</summary>
public sealed record Actor(UserId Id, string Email, IReadOnlySet<string> Roles, string? DisplayName = null)
{
    /// <summary>How the person is shown: their display name, or their e-mail when they have none.</summary>
    public string Name => string.IsNullOrWhiteSpace(DisplayName) ? Email : DisplayName;

    /// <summary>An authenticator app or a passkey is enrolled (read from the database).</summary>
    public bool SecondFactorEnrolled { get; init; }

    /// <summary>The session was signed in, or confirmed since, with the second factor.</summary>
    public bool SessionUsedSecondFactor { get; init; }

    /// <summary>The last sign-in or second-factor check of this session.</summary>
    public DateTimeOffset? ProvedAt { get; init; }

    /// <summary>Officers and administrators act only with a second factor; owners and auditors may enrol one.</summary>
    public bool MustUseSecondFactor => IsIn(Warden.Domain.People.Roles.SecurityOfficer) || IsIn(Warden.Domain.People.Roles.Administrator);

    public bool IsIn(string role) => Roles.Contains(role);

    /// <summary>Whether the last proof is within <paramref name="window"/> of <paramref name="now"/>.</summary>
    public bool ProvedWithin(TimeSpan window, DateTimeOffset now) =>
        ProvedAt is { } at && at <= now.AddMinutes(1) && now - at <= window;
}
