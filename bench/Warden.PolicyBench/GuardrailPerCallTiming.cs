using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Warden.Domain.Guardrails;

namespace Warden.PolicyBench;

/// <summary>Single scans timed one by one, as a decision on the hot path sees them.</summary>
internal static class GuardrailPerCallTiming
{
    public static void Run(int calls)
    {
        var typical = GuardrailFixture.Typical(16);
        System.Console.WriteLine($"Typical parameters: {typical.Average(t => t.GetRawText().Length):N0} bytes of JSON on average");
        var scanner = GuardrailScanner.Default;
        for (var i = 0; i < 20_000; i++)
            scanner.Scan(typical[i & 15]);

        var ticks = new long[calls];
        var findings = 0L;
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            findings += scanner.Scan(typical[i & 15]).Count;
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }
        Array.Sort(ticks);
        double Micro(double quantile) => ticks[(int)Math.Min(calls - 1, quantile * calls)] * 1_000_000.0 / Stopwatch.Frequency;
        System.Console.WriteLine($"Guardrail scan, typical 2 KB, {calls:N0} calls: p50 {Micro(0.50):F2} µs, p99 {Micro(0.99):F2} µs, max {Micro(1.0):F2} µs; {findings / (double)calls:F2} findings per scan");

        DecisionStep(typical, scanner, calls / 2);

        var adversarial = GuardrailFixture.Adversarial();
        var adversarialTicks = new long[50];
        for (var i = 0; i < adversarialTicks.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            scanner.Scan(adversarial);
            adversarialTicks[i] = Stopwatch.GetTimestamp() - start;
        }
        Array.Sort(adversarialTicks);
        System.Console.WriteLine($"Guardrail scan, 64 KB adversarial, 50 calls: p50 {adversarialTicks[25] * 1000.0 / Stopwatch.Frequency:F2} ms, max {adversarialTicks[^1] * 1000.0 / Stopwatch.Frequency:F2} ms; findings {string.Join(", ", scanner.Scan(adversarial).Select(f => f.Kind).Distinct())}");
    }

    /// <summary>
    /// Everything the guardrail step adds to one decision as DecisionService does it: scan the
    /// parameters and the justification, look for personal data bound outside the scopes, mask the
    /// parameters with the scan's findings, mask resource, justification and reason, and mask the
    /// decision's audit data as the audit writer does.
    /// </summary>
    private static void DecisionStep(JsonElement[] typical, GuardrailScanner scanner, int calls)
    {
        var masker = new GuardrailMasker(RandomNumberGenerator.GetBytes(32), scanner);
        const string tool = "crm.notes";
        const string resource = "crm/accounts/4711";
        const string justification = "Customer asked for a copy of their last three invoices and the delivery address.";
        const string reason = "Reads are allowed at every autonomy level.";
        const string audit = """{"decision":"dec_01M8AF1SX7JCQG4NQ9N8P9PE02","tool":"crm.notes","operation":"write","resource":"crm/accounts/4711","outcome":"allow","reasons":[{"code":"allowed_by_autonomy","message":"Reads are allowed at every autonomy level."}],"riskTier":"low","policyVersion":"default-2","rule":null,"violation":false,"digest":"c5debec1d364c99f5d9e699565181b452848bbaf84f94115cbadfe048aeb636a","findings":["pii.email"],"reviewOf":null}""";
        long Step(JsonElement parameters)
        {
            var findings = new List<Finding>(scanner.Scan(parameters));
            findings.AddRange(OutboundPersonalData.Find(parameters, findings, _ => false));
            var justified = scanner.Scan(justification, "$justification", "justification");
            findings.AddRange(justified);
            var length = masker.MaskJson(parameters, findings).Length + masker.MaskText(tool).Length + masker.MaskText(resource).Length
                         + masker.Apply(justification, justified).Length + masker.MaskText(reason).Length;
            using var data = JsonDocument.Parse(audit);
            return length + masker.MaskJson(data.RootElement).Length + findings.Count;
        }
        for (var i = 0; i < 20_000; i++)
            Step(typical[i & 15]);
        var ticks = new long[calls];
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            Step(typical[i & 15]);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }
        Array.Sort(ticks);
        double Micro(double quantile) => ticks[(int)Math.Min(calls - 1, quantile * calls)] * 1_000_000.0 / Stopwatch.Frequency;
        System.Console.WriteLine($"Guardrail step of a decision (scan, outbound check, masking of parameters, texts and audit data), typical 2 KB, {calls:N0} calls: p50 {Micro(0.50):F2} µs, p99 {Micro(0.99):F2} µs");
    }
}
