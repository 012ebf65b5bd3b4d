using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Warden.PolicyBench;

var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun)
    .AddColumn(StatisticColumn.P50, StatisticColumn.P95, new PercentileColumn("P99", 99), StatisticColumn.P100);
BenchmarkSwitcher.FromAssembly(typeof(PolicyEvaluationBenchmark).Assembly).Run(args, config);
PerCallTiming.Run(calls: 1_000_000);
