using Warden.Bench;

// Measures the directory page query over a seeded directory, through the app's own services.
// Usage: dotnet run -c Release --project bench/Warden.Bench [-- --agents 10000 --runs 30 --explain --keep-database]
var settings = BenchSettings.Parse(args);
var clock = TimeProvider.System;

Console.WriteLine(MachineInfo.Describe(clock.GetUtcNow()));
Console.WriteLine($"Load average (1, 5, 15 min) at start: {MachineInfo.LoadAverage()}");
Console.WriteLine();

await using var host = await BenchHost.StartAsync(settings, CancellationToken.None);
var seeded = await new DirectorySeeder(host.Services, clock).SeedAsync(settings.Agents, CancellationToken.None);
Console.WriteLine($"Seeded {seeded.AgentCount:N0} agents for {seeded.Owners.Count} owners in {seeded.Elapsed.TotalSeconds:F1} s.");
Console.WriteLine();

await using var runner = new DirectoryCaseRunner(host.Services, settings);
var results = await runner.RunAsync(DirectoryCases.All(seeded), seeded, CancellationToken.None);
Console.WriteLine(ResultTable.Render(results));
Console.WriteLine(ResultTable.Summary(results, BenchSettings.TargetMilliseconds));
Console.WriteLine($"Load average (1, 5, 15 min) at end: {MachineInfo.LoadAverage()}");
Console.WriteLine();

if (settings.Explain)
    await QueryPlans.PrintAsync(host, runner, results, seeded, CancellationToken.None);
