using System.Text.Json;
using Warden.Domain.Guardrails;

namespace Warden.Tests.Guardrails;

/// <summary>
/// Precision and recall of every scanner over the labelled corpus. A finding counts when its
/// confidence reaches the corpus threshold; lower ones are recorded but would not trip a policy.
/// </summary>
public sealed class GuardrailCorpusTests(ITestOutputHelper output)
{
    private static readonly Corpus Corpus = Corpus.Load();

    [Fact]
    public void Corpus_HasAtLeast200CasesWithUniqueIdsAndPositivesAndNegatives()
    {
        Corpus.Cases.Count.ShouldBeGreaterThanOrEqualTo(200);
        Corpus.Cases.Select(c => c.Id).Distinct().Count().ShouldBe(Corpus.Cases.Count);
        Corpus.Cases.Count(c => c.Expect.Count == 0).ShouldBeGreaterThanOrEqualTo(80);
        Corpus.Cases.ShouldAllBe(c => c.Text != null ^ c.Params != null);
    }

    [Fact]
    public void Corpus_MeetsTheTargetsPerFamily()
    {
        var (kinds, families) = Score();

        foreach (var score in kinds.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
            output.WriteLine(score.ToString());
        output.WriteLine(string.Empty);
        foreach (var score in families.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
            output.WriteLine(score.ToString());
        foreach (var error in kinds.Values.SelectMany(s => s.Errors.Select(e => $"{s.Name}: {e}")))
            output.WriteLine(error);
        foreach (var low in BelowThreshold())
            output.WriteLine(low);

        families["secret"].Recall.ShouldBe(1.0, "no secret in the corpus may be missed");
        families["pii"].Recall.ShouldBeGreaterThanOrEqualTo(0.98);
        families["pii"].Precision.ShouldBeGreaterThanOrEqualTo(0.95);
        families["injection"].Recall.ShouldBeGreaterThanOrEqualTo(0.9);
    }

    [Fact]
    public void Corpus_NoCaseLeavesAGuardrailFailure()
    {
        var scanner = Scanner();

        var failures = Corpus.Cases
            .SelectMany(c => scanner.Scan(c.Parameters).Where(f => f.Family == FindingKinds.GuardrailFamily).Select(f => $"{c.Id}: {f.Kind} {f.Excerpt}"))
            .ToList();

        failures.ShouldBeEmpty();
    }

    [Fact]
    public void Corpus_ExcerptsAndLocationsNeverHoldTheValueFound()
    {
        var scanner = Scanner();

        var leaks = Corpus.Cases
            .SelectMany(c => scanner.Scan(c.Parameters)
                .Where(f => f.Family is FindingKinds.PiiFamily or FindingKinds.SecretFamily)
                .Where(f => SensitiveValues(c, f).Any(v => f.Excerpt.Contains(v, StringComparison.Ordinal) || f.Location.Contains(v, StringComparison.Ordinal)))
                .Select(f => $"{c.Id}: {f.Kind} '{f.Excerpt}' at {f.Location}"))
            .ToList();

        leaks.ShouldBeEmpty();
    }

    // For a text, the span found; for parameters, every value (and unusual property name) of eight characters or more.
    private static IEnumerable<string> SensitiveValues(CorpusCase corpusCase, Finding finding) =>
        corpusCase.Text is { } text
            ? finding.Length >= 6 && finding.Start + finding.Length <= text.Length ? [text.Substring(finding.Start, finding.Length)] : []
            : Strings(corpusCase.Parameters).Where(s => s.Length >= 8);

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => JsonPaths.WorthScanning(p.Name) ? Strings(p.Value).Prepend(p.Name) : Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        JsonValueKind.String => [element.GetString()!],
        _ => [element.GetRawText()],
    };

    // Recorded but under the threshold (quoted discussions of injection, numbers introduced as references): what an officer would see, not what a policy acts on.
    private static IEnumerable<string> BelowThreshold()
    {
        var scanner = Scanner();
        return Corpus.Cases.SelectMany(c => scanner.Scan(c.Parameters)
            .Where(f => f.Confidence < Corpus.Threshold)
            .Select(f => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"below threshold: {f.Kind} {f.Confidence:0.00} in {c.Id}")));
    }

    private static GuardrailScanner Scanner() => new(new GuardrailOptions { AllowedHosts = Corpus.AllowedHosts.ToList() });

    private static (Dictionary<string, CorpusScore> Kinds, Dictionary<string, CorpusScore> Families) Score()
    {
        var scanner = Scanner();
        var results = Corpus.Cases
            .Select(c => (c.Id, Expected: c.Expect.ToHashSet(StringComparer.Ordinal),
                          Found: scanner.Scan(c.Parameters).Where(f => f.Confidence >= Corpus.Threshold && f.Family != FindingKinds.GuardrailFamily)
                                        .Select(f => f.Kind).ToHashSet(StringComparer.Ordinal)))
            .ToList();
        var kinds = results.SelectMany(r => r.Expected.Concat(r.Found)).Distinct().ToDictionary(k => k, k => new CorpusScore(k), StringComparer.Ordinal);
        var families = kinds.Keys.Select(FindingKinds.Family).Distinct().ToDictionary(f => f, f => new CorpusScore(f), StringComparer.Ordinal);
        foreach (var (id, expected, found) in results)
        {
            foreach (var (kind, score) in kinds)
            {
                score.Count(id, expected.Contains(kind), found.Contains(kind));
                families[FindingKinds.Family(kind)].Count(id, expected.Contains(kind), found.Contains(kind));
            }
        }
        return (kinds, families);
    }
}
