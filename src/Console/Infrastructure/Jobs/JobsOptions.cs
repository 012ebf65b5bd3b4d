namespace Warden.Infrastructure.Jobs;

public sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>"Database" keeps jobs beside the data (SQLite file or PostgreSQL); "InMemory" is for tests.</summary>
    public string Storage { get; set; } = "Database";

    public int WorkerCount { get; set; } = 2;

    public string HousekeepingCron { get; set; } = "17 * * * *";

    /// <summary>How often the job server looks for scheduled jobs (webhook retries) that are due.</summary>
    public int SchedulePollingSeconds { get; set; } = 5;

    public bool UsesInMemoryStorage => string.Equals(Storage, "InMemory", StringComparison.OrdinalIgnoreCase);
}
