using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Warden.PolicyBench;

if (args.Contains("--phi-cost"))
{
    ScannerCost.Run<Warden.Domain.Guardrails.HealthData.HealthIdentifierScanner>("phi", rounds: 5, calls: 100_000);
    return;
}

if (args.Contains("--destructive-cost"))
{
    ScannerCost.Run<Warden.Domain.Guardrails.Commands.DestructiveCommandScanner>("destructive", rounds: 5, calls: 100_000);
    return;
}

if (args.Contains("--scrub-only"))
{
    OutputScrubTiming.Run(calls: 200_000);
    return;
}

var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun)
    .AddColumn(StatisticColumn.P50, StatisticColumn.P95, new PercentileColumn("P99", 99), StatisticColumn.P100);
BenchmarkSwitcher.FromAssembly(typeof(PolicyEvaluationBenchmark).Assembly).Run(args.Where(a => a != "--guardrails-only").ToArray(), config);
if (args.Contains("--guardrails-only"))
    GuardrailPerCallTiming.Run(calls: 200_000);
else
{
    PerCallTiming.Run(calls: 1_000_000);
    GuardrailPerCallTiming.Run(calls: 200_000);
}
