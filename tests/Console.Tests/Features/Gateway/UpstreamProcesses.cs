using System.Diagnostics;

namespace Warden.Tests.Features.Gateway;

/// <summary>The upstream processes this test process started (through the app it hosts), found in /proc.</summary>
internal static class UpstreamProcesses
{
    /// <summary>Kills the direct children whose command line mentions <paramref name="script"/>; returns how many.</summary>
    public static int KillChildrenRunning(string script)
    {
        var self = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var killed = 0;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
                continue;
            try
            {
                var parent = File.ReadAllText(Path.Combine(folder, "stat")).Split(") ")[1].Split(' ')[1];
                var commandLine = File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ');
                if (parent != self || !commandLine.Contains(script, StringComparison.Ordinal))
                    continue;
                using var process = Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit(5000);
                killed++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                // The process ended while it was looked at.
            }
        }
        return killed;
    }
}
