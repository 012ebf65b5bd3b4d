using Warden.Domain.Guardrails;

namespace Warden.Tests.Guardrails;

/// <summary>Runs one scanner over one string, the way the guardrail scanner would hand it over.</summary>
internal static class Scans
{
    /// <summary>
    /// As <see cref="GuardrailScanner"/> does, a pattern that ran out of time is tried once more: a
    /// match timeout is wall-clock time, which a busy machine or the first run of a pattern can spend
    /// without the pattern being slow; a second timeout stays a finding.
    /// </summary>
    public static List<Finding> Run(IScanner scanner, string text, string? field = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var findings = new List<Finding>();
            scanner.Scan(new ScanText(text, "$.value", field), findings);
            if (attempt == 2 || !findings.Exists(f => f.Kind == FindingKinds.ScanTimeout))
                return findings;
        }
    }

    public static List<string> Kinds(IScanner scanner, string text, string? field = null) =>
        Run(scanner, text, field).Select(f => f.Kind).ToList();
}
