using System.Text.Json;
using System.Text.Json.Serialization;
using Warden.Tests.Support;

namespace Warden.Tests.Guardrails;

/// <summary>One labelled case of <c>corpus.json</c>: a free text (scanned as <c>$.text</c>) or a parameters object, and the kinds it holds.</summary>
internal sealed record CorpusCase(string Id, string? Text, JsonElement? Params, IReadOnlyList<string> Expect)
{
    public JsonElement Parameters => Params ?? JsonSerializer.SerializeToElement(new { text = Text });

    public override string ToString() => Id;
}

internal sealed record Corpus(int Version, double Threshold, IReadOnlyList<string> AllowedHosts, IReadOnlyList<CorpusCase> Cases)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static Corpus Load() =>
        JsonSerializer.Deserialize<Corpus>(File.ReadAllText(RepositoryRoot.Combine("tests", "Console.Tests", "Guardrails", "corpus.json")), Options)
        ?? throw new InvalidOperationException("corpus.json is empty.");
}
