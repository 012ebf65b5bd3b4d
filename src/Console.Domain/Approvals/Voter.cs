using Warden.Domain.People;

namespace Warden.Domain.Approvals;

/// <summary>A person casting a vote, as the database sees them at the moment of voting.</summary>
public sealed record Voter(UserId Id, string Email, string Name, IReadOnlySet<string> Roles, bool IsActive)
{
    /// <summary>
    /// The mailbox behind an address: case-folded, with any "+tag" dropped from the local part, so
    /// two accounts of one person (jane@ and Jane+ops@) are recognised as one voter.
    /// </summary>
    public static string Mailbox(string email)
    {
        var trimmed = email.Trim().ToLowerInvariant();
        var at = trimmed.LastIndexOf('@');
        if (at <= 0)
            return trimmed;
        var local = trimmed[..at];
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        return (plus > 0 ? local[..plus] : local) + trimmed[at..];
    }
}
