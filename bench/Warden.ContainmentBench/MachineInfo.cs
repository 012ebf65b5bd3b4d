using System.Globalization;
using System.Runtime.InteropServices;

namespace Warden.ContainmentBench;

public static class MachineInfo
{
    public static string Describe(DateTimeOffset now)
    {
        return string.Join(Environment.NewLine,
            string.Create(CultureInfo.InvariantCulture, $"Date:    {now:yyyy-MM-dd HH:mm} UTC"),
            $"CPU:     {CpuModel()} ({Environment.ProcessorCount} cores)",
            $"RAM:     {Memory()}",
            $"OS:      {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})",
            $".NET:    {RuntimeInformation.FrameworkDescription} (harness: server GC {System.Runtime.GCSettings.IsServerGC})");
    }

    /// <summary>Other work on the machine skews every figure; the run prints the load it saw.</summary>
    public static string LoadAverage()
    {
        const string loadAverage = "/proc/loadavg";
        return File.Exists(loadAverage) ? string.Join(' ', File.ReadAllText(loadAverage).Split(' ').Take(3)) : "unknown";
    }

    private static string Memory()
    {
        const string memInfo = "/proc/meminfo";
        var total = File.Exists(memInfo)
            ? File.ReadLines(memInfo).FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            : null;
        var kib = total?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var bytes = kib is not null ? long.Parse(kib, CultureInfo.InvariantCulture) * 1024 : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):F1} GiB");
    }

    private static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo))
            return RuntimeInformation.ProcessArchitecture.ToString();
        var line = File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line?.Split(':', 2)[1].Trim() ?? "unknown";
    }
}
