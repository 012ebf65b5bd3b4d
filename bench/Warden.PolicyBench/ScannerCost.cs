using System.Diagnostics;
using Warden.Domain.Guardrails;

namespace Warden.PolicyBench;

/// <summary>
/// What one built-in scanner adds to a scan: the built-in scanners with and without it over the same
/// typical 2 KB parameters, in alternating rounds so both see the same machine load (the order flips
/// every round), and that scanner alone: its own cost.
/// </summary>
internal static class ScannerCost
{
    public static void Run<TScanner>(string name, int rounds, int calls) where TScanner : IScanner
    {
        var typical = GuardrailFixture.Typical(16);
        var options = new GuardrailOptions();
        var with = new GuardrailScanner(options, GuardrailScanner.BuiltInScanners(options));
        var without = new GuardrailScanner(options, GuardrailScanner.BuiltInScanners(options).Where(s => s is not TScanner).ToList());
        var alone = new GuardrailScanner(options, GuardrailScanner.BuiltInScanners(options).OfType<TScanner>().Cast<IScanner>().ToList());
        for (var i = 0; i < 20_000; i++)
        {
            with.Scan(typical[i & 15]);
            without.Scan(typical[i & 15]);
            alone.Scan(typical[i & 15]);
        }
        for (var round = 1; round <= rounds; round++)
        {
            var sets = new[] { ($"without {name}", without), ($"with {name}", with), ($"{name} alone", alone) };
            foreach (var (set, scanner) in round % 2 == 1 ? sets : [sets[1], sets[0], sets[2]])
            {
                var ticks = new long[calls];
                for (var i = 0; i < calls; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    scanner.Scan(typical[i & 15]);
                    ticks[i] = Stopwatch.GetTimestamp() - start;
                }
                Array.Sort(ticks);
                double Micro(double quantile) => ticks[(int)Math.Min(calls - 1, quantile * calls)] * 1_000_000.0 / Stopwatch.Frequency;
                System.Console.WriteLine($"round {round}, {set} ({scanner.Scanners.Count} scanners), {calls:N0} scans: p50 {Micro(0.50):F2} µs, p99 {Micro(0.99):F2} µs");
            }
        }
    }
}
