using Warden.Features.Policies;
using Warden.PolicyFuzz;

namespace Warden.Tests.Features.Policies;

/// <summary>A fixed, seeded corpus of random and mutated documents: the reader only ever answers with a policy or with problems.</summary>
public sealed class PolicyFuzzTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Compile_RandomAndMutatedDocuments_NeverCrash(int seed)
    {
        var random = new Random(seed);
        var loader = new PolicyYamlLoader();
        var failures = new List<string>();
        var policies = 0;
        for (var i = 0; i < 1_500; i++)
        {
            var input = PolicyFuzzer.Next(random, DefaultPolicy.Yaml);
            if (PolicyFuzzer.Check(loader, input) is { } failure)
                failures.Add($"case {i}: {failure}\n{input}");
            else if (loader.Compile(input).Policy is not null)
                policies++;
        }

        failures.Take(3).ShouldBeEmpty();
        // Some mutations must survive as valid documents, or the validator and test runner were never reached.
        policies.ShouldBeGreaterThan(20);
    }
}
