using System.Text.Json;
using System.Text.RegularExpressions;
using Warden.Domain.Decisions;
using Warden.Domain.Guardrails;

namespace Warden.Tests.Guardrails;

public sealed partial class GuardrailScannerTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void Scan_ReportsFindingsByJsonPath()
    {
        var parameters = Json("""{"customer":{"email":"sam@example.com"},"items":[{"note":"ok"},{"note":"ok"},{"note":"card 4111111111111111"}]}""");

        var findings = GuardrailScanner.Default.Scan(parameters);

        findings.Select(f => (f.Kind, f.Location)).ShouldBe([(FindingKinds.Email, "$.customer.email"), (FindingKinds.Card, "$.items[2].note")], ignoreOrder: true);
    }

    [Fact]
    public void Scan_PropertyNamesHoldingPersonalData_AreFoundWithoutWritingTheNameIntoThePath()
    {
        var findings = GuardrailScanner.Default.Scan(Json("""{"votes":{"first":1,"ken.adams@example.com":3}}"""));

        var finding = findings.ShouldHaveSingleItem();
        finding.InPropertyName.ShouldBeTrue();
        finding.Location.ShouldBe("$.votes[#1]");
    }

    [Fact]
    public void Scan_LongNumbers_AreScannedAsText()
    {
        GuardrailScanner.Default.Scan(Json("""{"pan":4263982640269299,"count":3}""")).ShouldHaveSingleItem().Kind.ShouldBe(FindingKinds.Card);
    }

    [Fact]
    public void Scan_FieldNames_ReachTheScannersThatUseThem()
    {
        var findings = GuardrailScanner.Default.Scan(Json("""{"auth":{"tokens":[{"refresh_token":"1//0gLx9-Vb3Kq_7ZtYp2WmNcR8sFhJdE4uA"}]}}"""));

        findings.ShouldHaveSingleItem().Location.ShouldBe("$.auth.tokens[0].refresh_token");
    }

    [Fact]
    public void Scan_InputBeyondTheBound_IsReadUpToItAndReportedAsTruncated()
    {
        var scanner = new GuardrailScanner(new GuardrailOptions { MaxCharacters = 100 });
        var parameters = Json($$"""{"a":"{{new string('x', 90)}}","b":"mail bob@example.com {{new string('y', 40)}}","c":"sam@example.com"}""");

        var findings = scanner.Scan(parameters);

        var truncated = findings.ShouldHaveSingleItem();
        truncated.Kind.ShouldBe(FindingKinds.InputTruncated);
        truncated.Location.ShouldBe("$.b");
        truncated.ToGuardrailFinding().Severity.ShouldBe(FindingSeverity.High);
    }

    [Fact]
    public void Scan_TooManyStrings_IsReportedAsTruncated()
    {
        var scanner = new GuardrailScanner(new GuardrailOptions { MaxStrings = 3 });

        var findings = scanner.Scan(Json("""["a","b","c","d","e"]"""));

        findings.ShouldHaveSingleItem().Location.ShouldBe("$[3]");
    }

    [Fact]
    public void Scan_AScannerThatThrows_LeavesAFailureFindingAndTheOthersStillRun()
    {
        var scanner = new GuardrailScanner(new GuardrailOptions(), [new Throwing(), .. GuardrailScanner.BuiltInScanners(new GuardrailOptions())]);

        var findings = scanner.Scan("mail sam@example.com");

        findings.Select(f => f.Kind).ShouldBe([FindingKinds.ScannerFailed, FindingKinds.Email]);
    }

    [Fact]
    public void Scan_APatternThatTimesOut_LeavesATimeoutFindingInsteadOfAnException()
    {
        var scanner = new GuardrailScanner(new GuardrailOptions(), [new Catastrophic()]);

        var findings = scanner.Scan(new string('a', 40) + "!");

        var finding = findings.ShouldHaveSingleItem();
        finding.Kind.ShouldBe(FindingKinds.ScanTimeout);
        finding.Scanner.ShouldBe("catastrophic");
    }

    [Theory]
    [InlineData(FindingKinds.Card, FindingSeverity.Medium)]
    [InlineData(FindingKinds.CloudKey, FindingSeverity.Critical)]
    [InlineData(FindingKinds.Override, FindingSeverity.High)]
    [InlineData(FindingKinds.ScanTimeout, FindingSeverity.High)]
    public void ToGuardrailFinding_KeepsKindLocationAndConfidenceAndGradesTheFamily(string kind, FindingSeverity severity)
    {
        var finding = new Finding(kind, "$.a", 0.8, "…");

        finding.ToGuardrailFinding().ShouldBe(new GuardrailFinding(kind, severity, "$.a", 0.8));
    }

    [Fact]
    public void Scan_APatternThatTimesOutOnceThenFinishes_KeepsOnlyTheFinishedRunsFindings()
    {
        var pausedOnce = new PausedOnce(throws: false);
        var scanner = new GuardrailScanner(new GuardrailOptions(), [pausedOnce]);

        var findings = scanner.Scan("mail sam@example.com");

        pausedOnce.Runs.ShouldBe(2);
        findings.Select(f => f.Kind).ShouldBe([FindingKinds.Email]);
    }

    [Fact]
    public void Scan_AScannerWhoseTimeoutEscapesOnce_IsRunAgainAndFinishes()
    {
        var pausedOnce = new PausedOnce(throws: true);
        var scanner = new GuardrailScanner(new GuardrailOptions(), [pausedOnce]);

        var findings = scanner.Scan("mail sam@example.com");

        pausedOnce.Runs.ShouldBe(2);
        findings.Select(f => f.Kind).ShouldBe([FindingKinds.Email]);
    }

    /// <summary>Times out on its first run (as a pause would make it), then finds an e-mail address.</summary>
    private sealed class PausedOnce(bool throws) : IScanner
    {
        public int Runs { get; private set; }

        public string Name => "paused-once";

        public void Scan(ScanText text, ICollection<Finding> findings)
        {
            if (++Runs == 1)
            {
                findings.Add(new Finding(FindingKinds.Email, text.Location, 1, "partial"));
                if (throws)
                    throw new RegexMatchTimeoutException(text.Value, "x", TimeSpan.FromMilliseconds(100));
                findings.Add(PatternMatches.TimedOut(text, Name));
                return;
            }
            findings.Add(new Finding(FindingKinds.Email, text.Location, 1, "[email]"));
        }
    }

    private sealed class Throwing : IScanner
    {
        public string Name => "throwing";

        public void Scan(ScanText text, ICollection<Finding> findings) => throw new InvalidOperationException("boom");
    }

    private sealed partial class Catastrophic : IScanner
    {
        public string Name => "catastrophic";

        public void Scan(ScanText text, ICollection<Finding> findings) =>
            PatternMatches.Each(Nested(), text, findings, Name, _ => findings.Add(new Finding("x", text.Location, 1, "x")));

        [GeneratedRegex("^(a+)+$", RegexOptions.None, matchTimeoutMilliseconds: 10)]
        private static partial Regex Nested();
    }
}
