using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Warden.Features.RedTeam;

/// <summary>One drill as it completed: the agent, the corpus and policy versions it ran against, its score and every case's outcome (JSON).</summary>
public sealed class RedTeamDrillRun
{
    public const string IdPrefix = "rtd_";

    public string Id { get; set; } = string.Empty;
    public string AgentId { get; set; } = string.Empty;
    public string AgentName { get; set; } = string.Empty;
    /// <summary>The autonomy level the agent was drilled at: the level above its own, as if promoted (at most 3).</summary>
    public int AtLevel { get; set; }
    public DateTimeOffset CompletedAt { get; set; }
    public string CorpusVersion { get; set; } = string.Empty;
    public string PolicyVersion { get; set; } = string.Empty;
    /// <summary>Who ran it: a person's name, or "schedule".</summary>
    public string RunBy { get; set; } = string.Empty;
    public int Passed { get; set; }
    public int Total { get; set; }
    /// <summary>The share of cases passed, in per cent.</summary>
    public double Score { get; set; }
    /// <summary>The <see cref="CaseOutcome"/> list as JSON.</summary>
    public string Outcomes { get; set; } = "[]";
}

internal sealed class RedTeamDrillRunConfiguration : IEntityTypeConfiguration<RedTeamDrillRun>
{
    public void Configure(EntityTypeBuilder<RedTeamDrillRun> builder)
    {
        builder.ToTable("RedTeamDrills");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).HasMaxLength(40);
        builder.Property(d => d.AgentId).HasMaxLength(64);
        builder.Property(d => d.AgentName).HasMaxLength(200);
        builder.Property(d => d.CorpusVersion).HasMaxLength(64);
        builder.Property(d => d.PolicyVersion).HasMaxLength(128);
        builder.Property(d => d.RunBy).HasMaxLength(200);
        builder.HasIndex(d => new { d.AgentId, d.CompletedAt });
    }
}
