using System.Text.Json;
using Warden.Tests.Support;

namespace Warden.Tests.Guardrails;

/// <summary>
/// One line of <c>labelled-texts.jsonl</c>. Well-known key prefixes are split in the file with
/// <see cref="JoinMarker"/> so that no secret-scanning hook mistakes the fake keys for real ones; the
/// loader joins them back. <see cref="Round"/> says when a text was written: round 1 before the
/// detectors were changed (their misses shaped the new patterns), round 2 after the first changes
/// (its misses shaped the second), round 3 after the last change to the phrase patterns (never used to tune them), round 4 before
/// the structural injection scorer was written (scored once with it, then used to tune it), round 5
/// (injection and benign texts only) before that tuning on round 4.
/// </summary>
internal sealed record LabelledText(string Id, string Category, string Source, string Text, int Round = 1)
{
    public const string JoinMarker = "{+}";
    public const string Injection = "injection";
    public const string Secret = "secret";
    public const string PersonalData = "personal_data";
    public const string Benign = "benign";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<LabelledText> Load() =>
        File.ReadLines(RepositoryRoot.Combine("tests", "Console.Tests", "Guardrails", "labelled-texts.jsonl"))
            .Where(line => line.Length > 0)
            .Select(line => JsonSerializer.Deserialize<LabelledText>(line, Options) ?? throw new InvalidOperationException($"Unreadable line: {line}"))
            .Select(t => t with { Text = t.Text.Replace(JoinMarker, string.Empty, StringComparison.Ordinal) })
            .ToList();

    public override string ToString() => Id;
}
