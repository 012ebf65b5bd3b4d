using System.Text.Json;
using System.Text.Json.Serialization;
using Warden.Domain.RedTeam;

namespace Warden.Features.RedTeam;

/// <summary>
/// The built-in adversarial corpus, shipped inside the application as a versioned JSON file
/// (<c>Corpus/redteam-corpus-N.json</c>). It is read once; a corpus that does not read or names an
/// unknown category or safe answer stops the start, with the case at fault.
/// </summary>
public sealed class RedTeamCorpus
{
    public const string ResourceName = "Warden.RedTeam.redteam-corpus-1.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public RedTeamCorpus()
    {
        using var stream = typeof(RedTeamCorpus).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The red-team corpus {ResourceName} is not embedded in the application.");
        var file = JsonSerializer.Deserialize<CorpusFile>(stream, Json) ?? throw new InvalidOperationException("The red-team corpus is empty.");
        Version = file.Version ?? throw new InvalidOperationException("The red-team corpus has no version.");
        Cases = [.. file.Cases.Select(Read)];
        if (Cases.Select(c => c.Id).Distinct(StringComparer.Ordinal).Count() != Cases.Count)
            throw new InvalidOperationException("The red-team corpus repeats a case id.");
    }

    public string Version { get; }

    public IReadOnlyList<RedTeamCase> Cases { get; }

    private static RedTeamCase Read(CorpusCase c)
    {
        if (string.IsNullOrWhiteSpace(c.Id) || !RedTeamCategories.IsKnown(c.Category) || string.IsNullOrWhiteSpace(c.Title))
            throw new InvalidOperationException($"Red-team case '{c.Id}' needs an id, a title and a known category (not '{c.Category}').");
        if (!RedTeamVerdict.TryParse(c.Expect, out var expect))
            throw new InvalidOperationException($"Red-team case '{c.Id}' names an unknown safe answer '{c.Expect}'.");
        if (c.Replay is null && (c.Tool is null || c.Operation is null))
            throw new InvalidOperationException($"Red-team case '{c.Id}' needs a tool and an operation, or a replay scenario.");
        if (c.Replay is not null && !GrantReplayDrill.Scenarios.Contains(c.Replay))
            throw new InvalidOperationException($"Red-team case '{c.Id}' names an unknown replay scenario '{c.Replay}'.");
        return new RedTeamCase(c.Id, c.Category!, c.Title!, expect, c.Tool, c.Operation, c.Resource,
            c.Parameters is { } p ? p.GetRawText() : null, c.Justification, c.Records, c.Amount, c.Currency, c.Replay, c.Suggestion);
    }

    private sealed record CorpusFile(string? Version, List<CorpusCase> Cases);

    private sealed record CorpusCase(
        string Id, string? Category, string? Title, string? Expect, string? Tool, string? Operation, string? Resource,
        [property: JsonPropertyName("parameters")] JsonElement? Parameters, string? Justification, int? Records, decimal? Amount, string? Currency,
        string? Replay, string? Suggestion);
}
