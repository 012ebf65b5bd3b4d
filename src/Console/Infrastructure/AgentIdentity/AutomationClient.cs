using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Warden.Infrastructure.AgentIdentity;

/// <summary>
/// A machine client for security tooling (a SIEM or SOAR), not an agent: it gets tokens for the
/// automation audience with only the scopes it was created with (today: <c>containment</c>).
/// </summary>
public sealed class AutomationClient
{
    public const string IdPrefix = "svc_";
    public const string Audience = "warden-automation";
    public const string ContainmentScope = "containment";

    public string Id { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public string Scopes { get; set; } = ContainmentScope;
    public string CreatedById { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
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
