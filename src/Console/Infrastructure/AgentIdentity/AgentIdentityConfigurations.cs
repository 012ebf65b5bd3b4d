using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Warden.Infrastructure.AgentIdentity;

internal sealed class AgentCredentialConfiguration : IEntityTypeConfiguration<AgentCredential>
{
    public void Configure(EntityTypeBuilder<AgentCredential> builder)
    {
        builder.ToTable("AgentCredentials");
        builder.HasKey(c => c.AgentId);
        builder.Property(c => c.AgentId).HasMaxLength(40);
    }
}

internal sealed class PreviousClientSecretConfiguration : IEntityTypeConfiguration<PreviousClientSecret>
{
    public void Configure(EntityTypeBuilder<PreviousClientSecret> builder)
    {
        builder.ToTable("PreviousClientSecrets");
        builder.Property(s => s.AgentId).HasMaxLength(40);
        builder.Property(s => s.SecretHash).HasMaxLength(400);
        builder.HasIndex(s => s.AgentId);
    }
}

internal sealed class TokenIssuanceConfiguration : IEntityTypeConfiguration<TokenIssuance>
{
    public void Configure(EntityTypeBuilder<TokenIssuance> builder)
    {
        builder.ToTable("TokenIssuances");
        builder.Property(t => t.AgentId).HasMaxLength(40);
        builder.Property(t => t.TokenId).HasMaxLength(100);
        builder.Property(t => t.ClientAuthenticationMethod).HasMaxLength(40);
        builder.HasIndex(t => new { t.AgentId, t.IssuedAt });
    }
}

internal sealed class UsedClientAssertionConfiguration : IEntityTypeConfiguration<UsedClientAssertion>
{
    public void Configure(EntityTypeBuilder<UsedClientAssertion> builder)
    {
        builder.ToTable("UsedClientAssertions");
        builder.HasKey(a => a.Jti);
        builder.Property(a => a.Jti).HasMaxLength(260);
        builder.Property(a => a.AgentId).HasMaxLength(40);
        builder.HasIndex(a => a.ExpiresAt);
    }
}
