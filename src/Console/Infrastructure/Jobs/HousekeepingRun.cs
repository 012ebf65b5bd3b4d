namespace Warden.Infrastructure.Jobs;

/// <summary>One completed run of the housekeeping job, kept so operators can see that jobs run.</summary>
public sealed class HousekeepingRun
{
    public long Id { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset FinishedAt { get; set; }

    public string Detail { get; set; } = string.Empty;
}
