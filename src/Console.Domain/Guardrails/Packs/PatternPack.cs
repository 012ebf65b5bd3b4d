using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Warden.Domain.Guardrails.Packs;

/// <summary>
/// A versioned set of patterns an officer can extend: <c>{ "version", "patterns": [{ "id", "kind",
/// "pattern", "confidence" }] }</c>. Every pattern is checked when the pack is read, so a bad pattern
/// is refused with its id instead of failing on a request.
/// </summary>
public sealed class PatternPack
{
    public const int MaxPatternLength = 2_000;
    public const string InjectionV1 = "injection-v1";
    public const string CustomPiiV1 = "pii-custom-v1";

    private static readonly SearchValues<char> CustomNameCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_");
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(PatternMatches.TimeoutMilliseconds);
    private const int MaxCachedCombinations = 32;
    // Packs are immutable and their patterns compiled once: every scanner in the process shares them
    // (and the automata the non-backtracking engine has built so far).
    private static readonly ConcurrentDictionary<string, PatternPack> BuiltInPacks = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, IReadOnlyList<PatternGroup>> Combinations = new(StringComparer.Ordinal);
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };

    private PatternPack(string version, IReadOnlyList<PackPattern> patterns)
    {
        Version = version;
        Patterns = patterns;
    }

    public string Version { get; }
    public IReadOnlyList<PackPattern> Patterns { get; }

    public static PatternPack Empty { get; } = new("none", []);

    /// <summary>A pack shipped inside this assembly (<see cref="InjectionV1"/>, <see cref="CustomPiiV1"/>).</summary>
    public static PatternPack BuiltIn(string name) => BuiltInPacks.GetOrAdd(name, Load);

    private static PatternPack Load(string name)
    {
        using var stream = typeof(PatternPack).Assembly.GetManifestResourceStream($"Warden.Guardrails.Packs.{name}.json")
            ?? throw new ArgumentException($"There is no built-in pattern pack '{name}'.", nameof(name));
        using var reader = new StreamReader(stream);
        var pack = Parse(reader.ReadToEnd());
        return pack.IsSuccess ? pack.Value : throw new InvalidOperationException($"Built-in pack '{name}' is invalid: {pack.Error}");
    }

    public static Result<PatternPack> Parse(string json)
    {
        PackDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<PackDocument>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            return PatternPackErrors.InvalidJson(ex.Message);
        }
        if (document is null || string.IsNullOrWhiteSpace(document.Version))
            return PatternPackErrors.MissingVersion;
        if (document.Patterns is not { Count: > 0 } entries)
            return PatternPackErrors.NoPatterns;

        var patterns = new List<PackPattern>(entries.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var compiled = Compile(entries[i], i);
            if (compiled.IsFailure)
                return compiled.Error;
            if (!ids.Add(compiled.Value.Id))
                return PatternPackErrors.DuplicateId(compiled.Value.Id);
            patterns.Add(compiled.Value);
        }
        return Result.Success(new PatternPack(document.Version.Trim(), patterns));
    }

    /// <summary>This pack extended by <paramref name="extension"/>; a pattern with an id already here replaces it.</summary>
    public PatternPack Merge(PatternPack extension)
    {
        ArgumentNullException.ThrowIfNull(extension);
        var replaced = extension.Patterns.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var patterns = Patterns.Where(p => !replaced.Contains(p.Id)).Concat(extension.Patterns).ToList();
        return new PatternPack($"{Version}+{extension.Version}", patterns);
    }

    public IReadOnlyList<PackPattern> OfFamily(string kindPrefix) =>
        Patterns.Where(p => p.Kind.StartsWith(kindPrefix, StringComparison.Ordinal)).ToList();

    /// <summary>
    /// The patterns joined into as few alternations as the linear-time engine accepts (it caps the size
    /// of its automaton), so a text is read a few times for the whole pack rather than once per pattern.
    /// Each group is the longest run of patterns the engine accepts as one alternation, found by binary
    /// search, so a large pack costs a few constructions per group rather than one per pattern.
    /// </summary>
    internal static IReadOnlyList<PatternGroup> Combine(IReadOnlyList<PackPattern> patterns)
    {
        var key = string.Join('\n', patterns.Select(p => p.Pattern));
        if (Combinations.TryGetValue(key, out var cached))
            return cached;
        var combined = new List<PatternGroup>();
        Split(patterns.ToList(), combined);
        WarmUp(combined.Select(g => g.Joined).Concat(patterns.Select(p => p.Regex)));
        if (Combinations.Count < MaxCachedCombinations)
            Combinations.TryAdd(key, combined);
        return combined;
    }

    // The non-backtracking engine builds its automaton lazily, while matching: the first texts a fresh
    // pattern reads cost far more than later ones and could run into the match timeout on a loaded
    // machine. Reading a few ordinary sentences once here (with the joined patterns, and with each
    // pattern alone, which names what matched) moves that cost to start-up.
    private const string WarmUpText =
        "Hello team, please find the updated invoice #4411 attached (total: 1,250.00 EUR). " +
        "You are now able to sign in; the previous guidelines were replaced on 3 March! Note to the assistant: see https://example.com/a?b=c.\n" +
        "<p>Thanks - O'Brien & Co., \"Customer\" support</p> <!-- footer --> Could you help me with anything in your programming?";

    private static void WarmUp(IEnumerable<Regex> regexes)
    {
        foreach (var regex in regexes)
        {
            try
            {
                for (var match = regex.Match(WarmUpText); match.Success; match = match.NextMatch())
                {
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A loaded machine at start-up: the first requests build the automaton instead.
            }
        }
    }

    // Greedy, with the longest prefix that joins found by binary search: as few groups as adding one
    // pattern at a time would make, for a few constructions per group instead of one per pattern.
    private static void Split(List<PackPattern> patterns, List<PatternGroup> combined)
    {
        var rest = patterns;
        while (rest.Count > 0)
        {
            var joined = TryJoin(rest.GetRange(0, 1)) ?? rest[0].Regex;
            int low = 1, high = rest.Count;
            while (low < high)
            {
                var middle = (low + high + 1) / 2;
                if (TryJoin(rest.GetRange(0, middle)) is { } longer)
                {
                    (low, joined) = (middle, longer);
                }
                else
                {
                    high = middle - 1;
                }
            }
            combined.Add(new PatternGroup(joined, rest.GetRange(0, low)));
            rest = rest.GetRange(low, rest.Count - low);
        }
    }

    private static Regex? TryJoin(List<PackPattern> group)
    {
        try
        {
            // Only where and what matched is read, never groups: without captures the engine skips its slowest phase.
            return new Regex(string.Join('|', group.Select(p => $"(?:{p.Pattern})")), RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, Timeout);
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private static Result<PackPattern> Compile(PackEntry entry, int index)
    {
        if (string.IsNullOrWhiteSpace(entry.Id))
            return PatternPackErrors.MissingId(index);
        var id = entry.Id.Trim();
        if (entry.Kind is null || !IsPackKind(entry.Kind))
            return PatternPackErrors.UnknownKind(id, entry.Kind ?? string.Empty);
        if (entry.Confidence is < 0 or > 1 || double.IsNaN(entry.Confidence))
            return PatternPackErrors.ConfidenceOutOfRange(id, entry.Confidence);
        if (string.IsNullOrEmpty(entry.Pattern))
            return PatternPackErrors.InvalidRegex(id, "the pattern is empty");
        if (entry.Pattern.Length > MaxPatternLength)
            return PatternPackErrors.PatternTooLong(id, MaxPatternLength);
        try
        {
            _ = new Regex(entry.Pattern, RegexOptions.CultureInvariant, Timeout);
        }
        catch (ArgumentException ex)
        {
            return PatternPackErrors.InvalidRegex(id, ex.Message);
        }
        try
        {
            var regex = new Regex(entry.Pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, Timeout);
            if (regex.IsMatch(string.Empty))
                return PatternPackErrors.InvalidRegex(id, "the pattern matches empty text, so it would match everything");
            return Result.Success(new PackPattern(id, entry.Kind, entry.Pattern, entry.Confidence, regex));
        }
        catch (NotSupportedException ex)
        {
            return PatternPackErrors.UnsupportedRegex(id, ex.Message);
        }
    }

    private static bool IsPackKind(string kind) =>
        kind is FindingKinds.Override or FindingKinds.Roleplay or FindingKinds.Exfiltration
        || (kind.StartsWith(FindingKinds.CustomPiiPrefix, StringComparison.Ordinal)
            && kind.Length > FindingKinds.CustomPiiPrefix.Length
            && kind.AsSpan(FindingKinds.CustomPiiPrefix.Length).ContainsAnyExcept(CustomNameCharacters) is false);

    private sealed record PackDocument(string? Version, List<PackEntry>? Patterns);

    private sealed record PackEntry(string? Id, string? Kind, string? Pattern, double Confidence);
}

/// <summary>Patterns joined into one alternation, and the patterns themselves (to name the one that matched).</summary>
internal sealed record PatternGroup(Regex Joined, IReadOnlyList<PackPattern> Patterns);
