using BenchmarkDotNet.Attributes;
using Warden.Domain.Decisions;

namespace Warden.PolicyBench;

[MemoryDiagnoser]
public class PolicyEvaluationBenchmark
{
    private DecisionContext[] _contexts = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _contexts = PolicyFixture.Contexts(PolicyFixture.Policy(), 1_024);
        _next = 0;
    }

    [Benchmark(Description = "Decide, 1,000 rules")]
    public Decision Decide()
    {
        var context = _contexts[_next++ & 1023];
        return DecisionEngine.Decide(context);
    }
}
