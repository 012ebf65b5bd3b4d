using System.Security.Cryptography;
using System.Text;

namespace Warden.Features.Policies;

/// <summary>
/// One saved policy document, never changed after it is saved: its YAML, who wrote it and why, its
/// content hash, and what validation and its test cases said at the time.
/// </summary>
public sealed class PolicyVersion
{
    public int Id { get; set; }
    /// <summary>The document's own <c>version</c> field.</summary>
    public string Label { get; set; } = string.Empty;
    public string Content { get; set; } = string.Empty;
    public string ContentHash { get; set; } = string.Empty;
    public string AuthorId { get; set; } = string.Empty;
    public string AuthorName { get; set; } = string.Empty;
    public DateTimeOffset SavedAt { get; set; }
    public string Comment { get; set; } = string.Empty;
    public int Problems { get; set; }
    public int TestsPassed { get; set; }
    public int TestsFailed { get; set; }

    /// <summary>Valid and every test case passes (and there is at least one): the only kind that may be published.</summary>
    public bool Publishable => Problems == 0 && TestsFailed == 0 && TestsPassed > 0;

    public static string Hash(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
}

/// <summary>
/// A request to put a version in force, and when it was: every publication (rollbacks included) is a
/// row; the newest published one is the policy in force. A version that widens what agents may do
/// waits for a second officer.
/// </summary>
public sealed class PolicyPublication
{
    public int Id { get; set; }
    public int VersionId { get; set; }
    public PublicationState State { get; set; }
    public string RequestedBy { get; set; } = string.Empty;
    public string RequestedByName { get; set; } = string.Empty;
    public DateTimeOffset RequestedAt { get; set; }
    public string Reason { get; set; } = string.Empty;
    /// <summary>Decisions of the replay window that would go from deny or pending to allow.</summary>
    public int Widened { get; set; }
    public int Narrowed { get; set; }
    public int Replayed { get; set; }
    public string? SecondOfficerId { get; set; }
    public string? SecondOfficerName { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public string? RejectionReason { get; set; }
}

public enum PublicationState
{
    AwaitingSecondOfficer,
    Published,
    Rejected,
}
