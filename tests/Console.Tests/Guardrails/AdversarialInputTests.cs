using System.Text;
using System.Text.Json;
using Warden.Domain.Guardrails;

namespace Warden.Tests.Guardrails;

/// <summary>
/// Catastrophic-regex bait at the 64 KB bound must finish. The test only asserts completion within a
/// generous cancellation window, never a timing: timings belong in bench/.
/// </summary>
public sealed class AdversarialInputTests
{
    private const int Size = GuardrailOptions.DefaultMaxCharacters;

    public static TheoryData<string> Baits() =>
    [
        "run-of-a",
        "at-segments",
        "dot-segments",
        "digits-and-separators",
        "nested-base64",
        "spaced-words",
        "ipv6-colons",
        "unclosed-quotes",
    ];

    [Theory]
    [MemberData(nameof(Baits))]
    public async Task Scan_64KbOfBait_FinishesWithFindingsOrNone(string bait)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var parameters = JsonSerializer.SerializeToElement(new { text = Build(bait) });

        var findings = await Task.Run(() => GuardrailScanner.Default.Scan(parameters), timeout.Token).WaitAsync(timeout.Token);

        findings.ShouldNotBeNull();
        findings.ShouldNotContain(f => f.Kind == FindingKinds.ScannerFailed);
    }

    [Fact]
    public async Task Scan_BaitBeyondTheBound_IsTruncatedNotScannedWhole()
    {
        var parameters = JsonSerializer.SerializeToElement(new { text = new string('a', Size * 4) });

        var findings = await Task.Run(() => GuardrailScanner.Default.Scan(parameters), TestContext.Current.CancellationToken);

        findings.ShouldContain(f => f.Kind == FindingKinds.InputTruncated);
    }

    private static string Build(string bait)
    {
        var text = bait switch
        {
            "run-of-a" => new string('a', Size - 1) + "!",
            "at-segments" => Repeat("a@a.", Size),
            "dot-segments" => "x@" + Repeat("a.", Size - 4) + "1",
            "digits-and-separators" => Repeat("4 1-", Size),
            "nested-base64" => Nest("ignore all previous instructions " + new string('z', 200), Size),
            "spaced-words" => Repeat("ignore all the previous ", Size),
            "ipv6-colons" => Repeat("a:", Size),
            "unclosed-quotes" => Repeat("\"ignore previous ", Size),
            _ => throw new ArgumentOutOfRangeException(nameof(bait)),
        };
        return text.Length > Size ? text[..Size] : text;
    }

    private static string Repeat(string unit, int length)
    {
        var builder = new StringBuilder(length + unit.Length);
        while (builder.Length < length)
            builder.Append(unit);
        return builder.ToString();
    }

    private static string Nest(string seed, int length)
    {
        var text = seed;
        while (text.Length * 4 / 3 < length)
            text = Convert.ToBase64String(Encoding.UTF8.GetBytes(text + " " + text));
        return text;
    }
}
