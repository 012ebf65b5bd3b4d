using System.Text;
using Warden.Features.Policies;

namespace Warden.PolicyFuzz;

/// <summary>
/// Inputs for the policy reader: random text, random YAML-ish tokens, and mutations of a valid
/// document (bytes flipped, lines dropped, duplicated or swapped, indentation changed, fragments
/// spliced in). Each input goes through compile, validation and the document's test cases; the only
/// acceptable outcomes are a policy or a list of problems with a place.
/// </summary>
public static class PolicyFuzzer
{
    private static readonly string[] Tokens =
    [
        "version:", "rules:", "tests:", "- id:", "match:", "effect:", "deny", "allow", "require_approval", "approvers:", "expiry_minutes:",
        "tools:", "operations:", "resources:", "risk_tiers:", "min_amount:", "findings:", "min_confidence:", "time_window:", "days:",
        "start:", "end:", "time_zone:", "request:", "expect:", "agent:", "{", "}", "[", "]", ",", ":", "-", "'", "\"", "&a", "*a", "!!str",
        "|", ">", "#", "\t", "  ", "\n", "\r\n", "null", "~", "1e309", "-1", "99999999999999999999", "prod/**", "**", "Europe/Berlin", "\u202e", "\0",
    ];

    /// <summary>The next input for seed <paramref name="random"/>, built around <paramref name="valid"/>.</summary>
    public static string Next(Random random, string valid)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(valid);
        return random.Next(5) switch
        {
            0 => RandomText(random),
            1 => string.Join(random.Next(2) == 0 ? " " : "\n", Enumerable.Range(0, random.Next(1, 60)).Select(_ => Tokens[random.Next(Tokens.Length)])),
            _ => Mutate(random, valid, random.Next(1, 6)),
        };
    }

    /// <summary>Runs one input through everything that reads policy documents; returns a failure description, or null when it behaved.</summary>
    public static string? Check(PolicyYamlLoader loader, string input)
    {
        ArgumentNullException.ThrowIfNull(loader);
        try
        {
            var document = loader.Compile(input);
            if (document.Policy is null && document.Problems.Count == 0)
                return "neither a policy nor a problem";
            if (document.Problems.Any(p => p.Line < 1 || p.Column < 1 || string.IsNullOrWhiteSpace(p.Message)))
                return "a problem without a place or a message";
            if (document.Policy is { } policy)
            {
                _ = PolicyValidator.Check(document, catalog: null);
                _ = PolicyTestRunner.Run(policy, document.Tests);
            }
            return null;
        }
#pragma warning disable CA1031 // Any exception is exactly what the fuzzer looks for.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return $"{ex.GetType().Name}: {ex.Message} at {ex.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}";
        }
    }

    private static string RandomText(Random random)
    {
        var builder = new StringBuilder();
        var length = random.Next(0, 400);
        for (var i = 0; i < length; i++)
            builder.Append(random.Next(10) == 0 ? (char)random.Next(0, 0xD7FF) : (char)random.Next(9, 127));
        return builder.ToString();
    }

    private static string Mutate(Random random, string valid, int steps)
    {
        var lines = valid.Split('\n').ToList();
        for (var step = 0; step < steps && lines.Count > 0; step++)
        {
            var at = random.Next(lines.Count);
            switch (random.Next(7))
            {
                case 0:
                    lines.RemoveAt(at);
                    break;
                case 1:
                    lines.Insert(at, lines[random.Next(lines.Count)]);
                    break;
                case 2:
                    (lines[at], lines[random.Next(lines.Count)]) = (lines[random.Next(lines.Count)], lines[at]);
                    break;
                case 3:
                    lines[at] = new string(' ', random.Next(0, 9)) + lines[at].TrimStart();
                    break;
                case 4 when lines[at].Length > 0:
                    var chars = lines[at].ToCharArray();
                    chars[random.Next(chars.Length)] = (char)random.Next(32, 127);
                    lines[at] = new string(chars);
                    break;
                case 5:
                    lines[at] += " " + Tokens[random.Next(Tokens.Length)];
                    break;
                default:
                    lines.Insert(at, new string(' ', random.Next(0, 7)) + string.Join(' ', Enumerable.Range(0, random.Next(1, 5)).Select(_ => Tokens[random.Next(Tokens.Length)])));
                    break;
            }
        }
        return string.Join('\n', lines);
    }
}
