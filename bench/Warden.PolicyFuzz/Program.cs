using System.Diagnostics;
using System.Globalization;
using Warden.Features.Policies;
using Warden.PolicyFuzz;

// A longer run of the fuzzer the tests run for a fixed seeded corpus:
//   dotnet run -c Release --project bench/Warden.PolicyFuzz -- [seconds (default 60)] [seed]
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 60;
var seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Environment.TickCount;
var random = new Random(seed);
var loader = new PolicyYamlLoader();
var clock = Stopwatch.StartNew();
long cases = 0, policies = 0, failures = 0;
while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
{
    var input = PolicyFuzzer.Next(random, DefaultPolicy.Yaml);
    cases++;
    if (PolicyFuzzer.Check(loader, input) is { } failure)
    {
        failures++;
        var file = Path.Combine(Path.GetTempPath(), $"warden-policy-fuzz-{seed}-{cases}.yaml");
        File.WriteAllText(file, input);
        Console.WriteLine($"case {cases}: {failure} (input saved to {file})");
    }
    else if (loader.Compile(input).Policy is not null)
        policies++;
}
Console.WriteLine($"seed {seed}: {cases:N0} inputs in {clock.Elapsed.TotalSeconds:0} s ({cases / clock.Elapsed.TotalSeconds:N0}/s), {policies:N0} compiled to a policy, {failures} failures");
return failures == 0 ? 0 : 1;
