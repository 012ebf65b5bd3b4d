using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Warden.Domain.Guardrails;
using Warden.Domain.Policies;

namespace Warden.PolicyBench;

/// <summary>
/// What scrubbing adds to the review of a 2 KB output, timed call by call: choosing the findings the
/// mask rules count, masking them, checking that no masked value is left, and the digest of the
/// released text (the scan itself ran before, as it always did). Then the same with the ES256
/// provenance signature, which every release also pays.
/// </summary>
internal static class OutputScrubTiming
{
    public static void Run(int calls)
    {
        var scanner = GuardrailScanner.Default;
        var masker = new GuardrailMasker(RandomNumberGenerator.GetBytes(32), scanner);
        var rules = new[] { new PolicyRule("mask-outside", "", new PolicyMatch { Findings = ["pii"], Destinations = [PolicyMatch.OutsideScopes] }, PolicyEffect.Mask) };
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var json = GuardrailFixture.Typical(16).Select(Wrap).ToArray();
        var text = Enumerable.Range(0, 16).Select(i => Wrap(JsonSerializer.SerializeToElement(Text(i)))).ToArray();
        Report("JSON output", json, scanner, masker, rules, key, calls);
        Report("text output", text, scanner, masker, rules, key, calls);
    }

    private static void Report(string what, JsonElement[] outputs, GuardrailScanner scanner, GuardrailMasker masker, PolicyRule[] rules, ECDsa key, int calls)
    {
        var findings = outputs.Select(o => (IReadOnlyList<Finding>)scanner.Scan(o)).ToArray();
        var masked = findings.Average(f => OutputScrubbing.ToMask(f, rules).Count);
        System.Console.WriteLine($"{what}: {outputs.Average(o => o.GetProperty("output").GetRawText().Length):N0} bytes on average, {masked:F1} values masked per output");

        long Scrub(int i) => OutputScrubbing.Scrub(masker, outputs[i & 15], OutputScrubbing.ToMask(findings[i & 15], rules)).Text.Length;
        long ScrubAndSign(int i)
        {
            var scrubbed = OutputScrubbing.Scrub(masker, outputs[i & 15], OutputScrubbing.ToMask(findings[i & 15], rules));
            var claims = Encoding.UTF8.GetBytes($$"""{"iss":"https://warden.example/","aud":"warden-recipients","jti":"dec_01M8AF1SX7JCQG4NQ9N8P9PE02","decision":"dec_01M8AF1SX7JCQG4NQ9N8P9PE01","sub":"agt_01M8AF1SX7JCQG4NQ9N8P9PE03","tool":"crm.read","digest":"{{scrubbed.Digest}}","iat":1796000000,"masked":[{"kind":"pii.email","count":1}]}""");
            return key.SignData(claims, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation).Length;
        }
        Time($"  scrub (choose, mask, leak check, digest)", Scrub, calls);
        Time($"  scrub and sign the provenance (ES256)", ScrubAndSign, calls / 4);
    }

    private static void Time(string label, Func<int, long> step, int calls)
    {
        for (var i = 0; i < 20_000; i++)
            step(i);
        var ticks = new long[calls];
        var sink = 0L;
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            sink += step(i);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }
        Array.Sort(ticks);
        double Micro(double quantile) => ticks[(int)Math.Min(calls - 1, quantile * calls)] * 1_000_000.0 / Stopwatch.Frequency;
        System.Console.WriteLine($"{label}, {calls:N0} calls: p50 {Micro(0.50):F2} µs, p99 {Micro(0.99):F2} µs, max {Micro(1.0):F2} µs ({sink % 7})");
    }

    private static JsonElement Wrap(JsonElement output) => JsonSerializer.SerializeToElement(new { output });

    // About 2 KB of prose with an e-mail address, a card number, an IBAN and a phone number in it.
    private static string Text(int i)
    {
        var builder = new StringBuilder();
        while (builder.Length < 1900)
            builder.Append("The customer called about the late delivery and asked for the invoice to be sent again to the finance team. ");
        builder.Insert(300, $" Contact: olivia.smith{i}@example.com. ");
        builder.Insert(900, " Card on file: 4111 1111 1111 1111. ");
        builder.Insert(1400, " Refund to DE89 3704 0044 0532 0130 00, call +44 20 7946 0958. ");
        return builder.ToString();
    }
}
