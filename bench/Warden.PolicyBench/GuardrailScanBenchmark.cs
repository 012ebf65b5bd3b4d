using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Warden.Domain.Guardrails;

namespace Warden.PolicyBench;

[MemoryDiagnoser]
public class GuardrailScanBenchmark
{
    private readonly GuardrailScanner _scanner = GuardrailScanner.Default;
    private JsonElement[] _typical = [];
    private JsonElement _adversarial;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _typical = GuardrailFixture.Typical(16);
        _adversarial = GuardrailFixture.Adversarial();
        _next = 0;
    }

    [Benchmark(Description = "Scan typical 2 KB parameters")]
    public int ScanTypical() => _scanner.Scan(_typical[_next++ & 15]).Count;

    [Benchmark(Description = "Scan 64 KB adversarial input")]
    public int ScanAdversarial() => _scanner.Scan(_adversarial).Count;
}
