using System.ComponentModel.DataAnnotations;

namespace Warden.Features.Metrics;

/// <summary>The exported governance metrics: the Prometheus scrape endpoint, OTLP, and how fresh the exported figures are.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>Path of the Prometheus scrape endpoint (administrators signed in, or the scrape token).</summary>
    public string ScrapePath { get; set; } = "/metrics";

    /// <summary>A bearer token a Prometheus server presents instead of an administrator's cookie; unset means cookies only. At least 32 characters.</summary>
    [MinLength(32)]
    public string? ScrapeToken { get; set; }

    /// <summary>An OTLP endpoint (e.g. http://collector:4317); the OTLP exporter runs only when it is set.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>How often the exported figures are recomputed; scrapes read the last computation, never the database.</summary>
    [Range(10, 86_400)]
    public int RefreshSeconds { get; set; } = 300;

    /// <summary>The trailing period the exported figures cover.</summary>
    [Range(1, 366)]
    public int ExportPeriodDays { get; set; } = 7;
}
