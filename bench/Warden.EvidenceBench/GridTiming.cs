using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Warden.Infrastructure.Identity;

namespace Warden.EvidenceBench;

/// <summary>What the grid benches share: signing in as a demo person, timing one read, and the table they print.</summary>
internal static class GridTiming
{
    /// <summary>Runs <paramref name="read"/> twice untimed, then <paramref name="runs"/> times timed; the rows are those of the last run.</summary>
    public static async Task<(int Rows, List<double> Timings)> TimeAsync(Func<Task<int>> read, int runs)
    {
        var rows = 0;
        var timings = new List<double>(runs);
        for (var run = -2; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            rows = await read();
            watch.Stop();
            if (run >= 0)
                timings.Add(watch.Elapsed.TotalMilliseconds);
        }
        return (rows, timings);
    }

    public static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>Prints one row of the case table and returns its p95.</summary>
    public static double Row(string name, string page, int rows, List<double> timings)
    {
        var p95 = Percentile(timings, 0.95);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {page} | {rows} | {Percentile(timings, 0.5):0.0} | {p95:0.0} | {timings.Max():0.0} |"));
        return p95;
    }

    public static void Header()
    {
        Console.WriteLine();
        Console.WriteLine("| case | page | rows | p50 ms | p95 ms | max ms |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
    }

    public static void Footer(double worst)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Worst p95: {worst:0.0} ms (target 50 ms per 50-row page)."));
        Console.WriteLine($"Load average (1, 5, 15 min) at end: {MachineDescription.LoadAverage()}");
    }

    /// <summary>Makes <paramref name="services"/> (a scope) act for the demo person with <paramref name="email"/>, as a circuit does.</summary>
    public static async Task SignInAsync(IServiceProvider services, string email)
    {
        var user = await services.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email)
                   ?? throw new InvalidOperationException($"No demo user {email}.");
        var principal = await services.GetRequiredService<SignInManager<ApplicationUser>>().CreateUserPrincipalAsync(user);
        ((IHostEnvironmentAuthenticationStateProvider)services.GetRequiredService<AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
    }
}
