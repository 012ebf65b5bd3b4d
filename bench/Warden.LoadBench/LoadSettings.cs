using System.Globalization;

namespace Warden.LoadBench;

/// <summary>Command-line settings; the defaults are the DESIGN section 10 load points.</summary>
public sealed record LoadSettings
{
    public const int TargetDecisionsPerSecond = 10_000;
    public const double TargetShareOfTrivial = 0.25;
    public const double TargetOpenLoopP50Milliseconds = 5;
    public const double TargetOpenLoopP99Milliseconds = 20;

    public int Connections { get; init; } = 32;
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(3);
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(15);
    public int OpenLoopRate { get; init; } = 1_000;

    /// <summary>How long the open loop waits for answers still outstanding when its schedule ends.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(10);

    public int Port { get; init; } = 5391;
    public string Configuration { get; init; } = "Release";
    public bool KeepDatabase { get; init; }

    /// <summary>How many load agents the mixed decisions are spread over.</summary>
    public int Agents { get; init; } = 16;

    /// <summary>Decisions (each with its audit event) already in the database when the app starts (<see cref="DecisionHistory"/>).</summary>
    public int SeedDecisions { get; init; }

    /// <summary>The earlier harness: reads from the three demo agents, mostly refused by their rate limits.</summary>
    public bool DemoAgents { get; init; }

    public static LoadSettings Parse(string[] args)
    {
        var settings = new LoadSettings();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            settings = args[i] switch
            {
                "--connections" => settings with { Connections = NextInt() },
                "--warmup" => settings with { WarmUp = TimeSpan.FromSeconds(NextInt()) },
                "--duration" => settings with { Duration = TimeSpan.FromSeconds(NextInt()) },
                "--rate" => settings with { OpenLoopRate = NextInt() },
                "--drain" => settings with { Drain = TimeSpan.FromSeconds(NextInt()) },
                "--port" => settings with { Port = NextInt() },
                "--configuration" => settings with { Configuration = Next() },
                "--keep-database" => settings with { KeepDatabase = true },
                "--agents" => settings with { Agents = NextInt() },
                "--demo-agents" => settings with { DemoAgents = true },
                "--seed-decisions" => settings with { SeedDecisions = NextInt() },
                _ => throw new ArgumentException($"Unknown argument {args[i]}."),
            };
        }
        return settings;
    }
}
