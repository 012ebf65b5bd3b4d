using System.Globalization;
using System.Runtime.InteropServices;

namespace Warden.Bench;

public static class MachineInfo
{
    public static string Describe(DateTimeOffset now)
    {
        var memoryGiB = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return string.Join(Environment.NewLine,
            string.Create(CultureInfo.InvariantCulture, $"Date:    {now:yyyy-MM-dd HH:mm} UTC"),
            $"CPU:     {CpuModel()} ({Environment.ProcessorCount} cores)",
            string.Create(CultureInfo.InvariantCulture, $"RAM:     {memoryGiB:F1} GiB"),
            $"OS:      {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})",
            $".NET:    {RuntimeInformation.FrameworkDescription}, server GC {System.Runtime.GCSettings.IsServerGC}",
            $"SQLite:  {SqliteVersion()}");
    }

    /// <summary>Other work on the machine skews every figure; the run prints the load it saw.</summary>
    public static string LoadAverage()
    {
        const string loadAverage = "/proc/loadavg";
        return File.Exists(loadAverage) ? string.Join(' ', File.ReadAllText(loadAverage).Split(' ').Take(3)) : "unknown";
    }

    private static string SqliteVersion()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        connection.Open();
        return connection.ServerVersion;
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
