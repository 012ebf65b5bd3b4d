using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Domain.RedTeam;

namespace Warden.Features.RedTeam;

/// <summary>A case an officer added; it runs with the corpus in every drill.</summary>
public sealed class RedTeamCustomCase
{
    public const string IdPrefix = "rtc_";

    public string Id { get; set; } = string.Empty;
    public string Category { get; set; } = string.Empty;
    public string Title { get; set; } = string.Empty;
    public SafeAnswer Expect { get; set; }
    public string Tool { get; set; } = string.Empty;
    public string Operation { get; set; } = string.Empty;
    public string? Resource { get; set; }
    public string? Parameters { get; set; }
    public string? Justification { get; set; }
    public int? Records { get; set; }
    public decimal? Amount { get; set; }
    public string? Currency { get; set; }
    public string CreatedBy { get; set; } = string.Empty;
    public string CreatedByName { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }

    public RedTeamCase ToCase() =>
        new(Id, Category, Title, Expect, Tool, Operation, Resource, Parameters, Justification, Records, Amount, Currency) { Custom = true };
}

internal sealed class RedTeamCustomCaseConfiguration : IEntityTypeConfiguration<RedTeamCustomCase>
{
    public void Configure(EntityTypeBuilder<RedTeamCustomCase> builder)
    {
        builder.ToTable("RedTeamCases");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasMaxLength(40);
        builder.Property(c => c.Category).HasMaxLength(32);
        builder.Property(c => c.Title).HasMaxLength(RedTeamCaseRules.MaxTitle);
        builder.Property(c => c.Expect).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Tool).HasMaxLength(64);
        builder.Property(c => c.Operation).HasMaxLength(16);
        builder.Property(c => c.Resource).HasMaxLength(512);
        builder.Property(c => c.Parameters).HasMaxLength(RedTeamCaseRules.MaxParameters);
        builder.Property(c => c.Justification).HasMaxLength(RedTeamCaseRules.MaxText);
        builder.Property(c => c.Currency).HasMaxLength(3);
        builder.Property(c => c.CreatedBy).HasMaxLength(450);
        builder.Property(c => c.CreatedByName).HasMaxLength(200);
    }
}
