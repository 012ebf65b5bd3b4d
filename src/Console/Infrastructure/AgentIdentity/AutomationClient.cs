using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Warden.Infrastructure.AgentIdentity;

/// <summary>
/// A machine client, not an agent: security tooling (a SIEM or SOAR) that reads and trips containments
/// (scope <c>containment</c>), or a tool that redeems the grants agents bring it (scope <c>grants</c>).
/// It gets tokens for the automation audience with only the scopes it was created with.
/// </summary>
public sealed class AutomationClient
{
    public const string IdPrefix = "svc_";
    public const string Audience = "warden-automation";
    public const string ContainmentScope = "containment";
    public const string GrantsScope = "grants";

    public static readonly IReadOnlyList<string> KnownScopes = [ContainmentScope, GrantsScope];

    public string Id { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public string Scopes { get; set; } = ContainmentScope;
    public string CreatedById { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public bool HasScope(string scope) => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope, StringComparer.Ordinal);
}

internal sealed class AutomationClientConfiguration : IEntityTypeConfiguration<AutomationClient>
{
    public void Configure(EntityTypeBuilder<AutomationClient> builder)
    {
        builder.ToTable("AutomationClients");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasMaxLength(40);
        builder.Property(c => c.Name).HasMaxLength(100);
        builder.Property(c => c.Scopes).HasMaxLength(200);
        builder.Property(c => c.CreatedById).HasMaxLength(450);
    }
}
