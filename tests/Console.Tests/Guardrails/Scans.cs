using Warden.Domain.Guardrails;

namespace Warden.Tests.Guardrails;

/// <summary>Runs one scanner over one string, the way the guardrail scanner would hand it over (a timed-out pattern tried once more).</summary>
internal static class Scans
{
    public static List<Finding> Run(IScanner scanner, string text, string? field = null)
    {
        var findings = new List<Finding>();
        GuardrailScanner.Run(scanner, new ScanText(text, "$.value", field), findings);
        return findings;
    }

    public static List<string> Kinds(IScanner scanner, string text, string? field = null) =>
        Run(scanner, text, field).Select(f => f.Kind).ToList();
}
