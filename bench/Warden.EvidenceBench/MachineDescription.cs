using System.Globalization;
using System.Runtime.InteropServices;

namespace Warden.EvidenceBench;

internal static class MachineDescription
{
    public static string Describe()
    {
        var memoryGiB = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var load = LoadAverage();
        return string.Join(Environment.NewLine,
            $"CPU:     {cpu ?? RuntimeInformation.ProcessArchitecture.ToString()} ({Environment.ProcessorCount} cores)",
            string.Create(CultureInfo.InvariantCulture, $"RAM:     {memoryGiB:F1} GiB"),
            $"OS:      {RuntimeInformation.OSDescription}",
            $".NET:    {RuntimeInformation.FrameworkDescription}, server GC {System.Runtime.GCSettings.IsServerGC}",
            $"Load:    {load}");
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
