using System.Globalization;

namespace Warden.Bench;

public sealed record BenchSettings(int Agents, int Runs, int WarmupRuns, bool Explain, bool KeepDatabase)
{
    public const double TargetMilliseconds = 50;

    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings(Agents: 10_000, Runs: 30, WarmupRuns: 3, Explain: false, KeepDatabase: false);
        for (var i = 0; i < args.Length; i++)
        {
            settings = args[i] switch
            {
                "--agents" => settings with { Agents = Number(args, ++i) },
                "--runs" => settings with { Runs = Number(args, ++i) },
                "--explain" => settings with { Explain = true },
                "--keep-database" => settings with { KeepDatabase = true },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'. Options: --agents N, --runs N, --explain, --keep-database."),
            };
        }
        return settings;
    }

    private static int Number(string[] args, int index) =>
        index < args.Length && int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"'{args[index - 1]}' needs a positive number.");
}
