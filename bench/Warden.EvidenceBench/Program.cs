using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Warden.Features.AuditLog;
using Warden.Features.Evidence;

namespace Warden.EvidenceBench;

/// <summary>
/// dotnet run -c Release --project bench/Warden.EvidenceBench -- --events 100000,1000000 [--per-volume 25000]
/// (or -- --audit-grid 1000000 [--runs 20]: the audit log page over every filter, see <see cref="AuditGridBench"/>;
/// -- --approvals-grid 1000000: the approval history, see <see cref="ApprovalsGridBench"/>;
/// -- --agent-page 1000000: the agent page's decisions, see <see cref="AgentPageBench"/>;
/// --keep-database leaves the seeded database in its temporary folder)
/// Seeds a fresh database per size, builds one pack over all its events with the app's own builder,
/// verifies the pack, and prints time and peak memory (also above the working set before the build).
/// </summary>
internal static class Harness
{
    public static async Task Main(string[] args)
    {
        var runs = args.SkipWhile(a => a != "--runs").Skip(1).FirstOrDefault() is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 20;
        var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
        BenchHost.KeepDatabase = args.Contains("--keep-database");
        if (args.SkipWhile(a => a != "--audit-grid").Skip(1).FirstOrDefault() is { } gridEvents)
        {
            Console.WriteLine(MachineDescription.Describe());
            await AuditGridBench.RunAsync(int.Parse(gridEvents, CultureInfo.InvariantCulture), runs, only);
            return;
        }
        if (args.SkipWhile(a => a != "--approvals-grid").Skip(1).FirstOrDefault() is { } gridRequests)
        {
            Console.WriteLine(MachineDescription.Describe());
            await ApprovalsGridBench.RunAsync(int.Parse(gridRequests, CultureInfo.InvariantCulture), runs, only);
            return;
        }
        if (args.SkipWhile(a => a != "--agent-page").Skip(1).FirstOrDefault() is { } pageDecisions)
        {
            Console.WriteLine(MachineDescription.Describe());
            await AgentPageBench.RunAsync(int.Parse(pageDecisions, CultureInfo.InvariantCulture), runs, only);
            return;
        }
        var sizes = args.SkipWhile(a => a != "--events").Skip(1).FirstOrDefault()?.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList()
                    ?? [100_000, 1_000_000];
        var perVolume = args.SkipWhile(a => a != "--per-volume").Skip(1).FirstOrDefault();
        var settings = new Dictionary<string, string?>();
        if (perVolume is not null)
            settings["Evidence:AppendixEventsPerVolume"] = perVolume;
        Console.WriteLine(MachineDescription.Describe());
        Console.WriteLine($"Appendix events per volume: {perVolume ?? "default"}");
        Console.WriteLine();
        Console.WriteLine("| events | seed s | build s | PDF + volumes MB | main PDF pages | volumes | largest volume pages | export MB | peak working set MB | peak above start MB | peak by the end of chain check and export MB | peak by the end of the appendix MB | working set before MB | peak managed heap MB | chain check and export s | appendix s | summary PDF and manifest s |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var size in sizes)
        {
            await using var host = new BenchHost(settings);
            _ = host.Services;
            var end = new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
            var start = end.AddDays(-1);
            var seedWatch = Stopwatch.StartNew();
            EventSeeder.Seed(host.DataDirectory, size, start, end, host.Services.GetRequiredService<AuditCheckpointKey>().Signer);
            var seeded = seedWatch.Elapsed;

            var builder = host.Services.GetRequiredService<EvidencePackBuilder>();
            var spec = EvidencePeriods.Spec(null, "Bench pack", EvidenceScope.Everything, null, start, end, EvidenceAccess.DefaultRecipients, end);
            var folder = Path.Combine(host.DataDirectory, "bench-pack");
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            using var sampler = new MemorySampler();
            var before = MemorySampler.Current;
            var watch = Stopwatch.StartNew();
            long beforeSave = 0, afterExport = 0;
            TimeSpan exported = default, appended = default;
            var progress = new SynchronousProgress(p =>
            {
                if (p >= 40 && afterExport == 0)
                    (afterExport, exported) = (sampler.PeakSoFar(), watch.Elapsed);
                if (p >= 90 && beforeSave == 0)
                    (beforeSave, appended) = (sampler.PeakSoFar(), watch.Elapsed);
            });
            var result = await builder.BuildAsync(spec, folder, progress, CancellationToken.None);
            watch.Stop();
            var (peak, heap) = sampler.Stop();

            var report = EvidencePackVerifier.Verify(folder, null);
            if (!report.Verified || result.EventCount < size)
                throw new InvalidOperationException($"The bench pack is wrong: {result.EventCount} events, {string.Join("; ", report.Mismatches)}");
            static int Pages(string path)
            {
                using var pdf = File.OpenRead(path);
                return PageCounter.Count(pdf);
            }
            var pages = Pages(Path.Combine(folder, EvidenceFiles.Pdf));
            var volumes = Directory.GetFiles(folder).Where(f => EvidenceFiles.VolumeNumber(f) is not null).ToList();
            var largest = volumes.Count == 0 ? 0 : volumes.Max(Pages);
            var bytes = result.PdfBytes + volumes.Sum(v => new FileInfo(v).Length);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {size:#,0} | {seeded.TotalSeconds:0.0} | {watch.Elapsed.TotalSeconds:0.0} | {bytes / 1048576.0:0.0} | {pages:#,0} | {volumes.Count} | {largest:#,0} | {result.ExportBytes / 1048576.0:0.0} | {peak / 1048576.0:0} | {(peak - before) / 1048576.0:0} | {afterExport / 1048576.0:0} | {beforeSave / 1048576.0:0} | {before / 1048576.0:0} | {heap / 1048576.0:0} | {exported.TotalSeconds:0.0} | {(appended - exported).TotalSeconds:0.0} | {(watch.Elapsed - appended).TotalSeconds:0.0} |"));
        }
    }
}

/// <summary>Reports on the caller's thread, so a snapshot is taken exactly when the builder reaches a step.</summary>
internal sealed class SynchronousProgress(Action<int> report) : IProgress<int>
{
    public void Report(int value) => report(value);
}
