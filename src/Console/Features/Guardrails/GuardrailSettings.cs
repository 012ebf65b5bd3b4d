using System.ComponentModel.DataAnnotations;

namespace Warden.Features.Guardrails;

/// <summary>The <c>Guardrails</c> section: how much of a request is read, with which pattern packs, and which hosted detectors are asked too.</summary>
public sealed class GuardrailSettings
{
    public const string SectionName = "Guardrails";

    /// <summary>Characters read across a request's values; what lies beyond is unchecked and refused.</summary>
    [Range(1_024, 1_048_576)]
    public int MaxCharacters { get; set; } = Warden.Domain.Guardrails.GuardrailOptions.DefaultMaxCharacters;

    /// <summary>Hosts (and their subdomains) links in free text may carry data to without an exfiltration finding.</summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>A pattern pack (JSON) whose patterns are added to the built-in injection markers; its version is recorded with each finding.</summary>
    public string? InjectionPackFile { get; set; }

    /// <summary>A pattern pack (JSON) of custom personal-data patterns, added to the built-in ones.</summary>
    public string? PersonalDataPackFile { get; set; }

    /// <summary>Hosted detectors asked about every request, besides the built-in scanners.</summary>
    public List<DetectorSettings> Detectors { get; set; } = [];
}

public sealed class DetectorSettings
{
    [Required, RegularExpression("^[a-z][a-z0-9_-]{1,31}$", ErrorMessage = "A detector name is 2 to 32 lower-case letters, digits, '_' or '-'.")]
    public string Name { get; set; } = string.Empty;

    [Required, Url]
    public string Url { get; set; } = string.Empty;

    /// <summary>How long a decision waits for the detector.</summary>
    [Range(10, 5_000)]
    public int TimeoutMilliseconds { get; set; } = 250;

    /// <summary>
    /// A detector that fails closed turns its silence (timeout, error, bad answer) into a
    /// <c>guardrail.detector_unavailable</c> finding, which refuses the request; one that fails open
    /// is skipped and the failure logged. Detectors whose findings can deny should fail closed.
    /// </summary>
    public bool FailClosed { get; set; } = true;

    /// <summary>Sent as a bearer token, if the detector wants one.</summary>
    public string? ApiKey { get; set; }
}
