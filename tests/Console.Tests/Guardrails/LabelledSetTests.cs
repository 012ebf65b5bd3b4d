using System.Globalization;
using System.Text;
using Warden.Domain.Guardrails;

namespace Warden.Tests.Guardrails;

/// <summary>
/// The labelled set through the real scanner with the default packs, judged the way the default
/// policy acts on findings: any secret finding is refused, any injection finding is held for an
/// officer and any guardrail failure is refused, whatever its confidence (the default rules set no
/// <c>min_confidence</c>). Personal data is masked, not refused, so it counts as caught when any
/// personal-data finding is reported. Figures are floors at what the detectors reach: raise them when
/// the detectors improve. Rounds written after a change (3 after the last phrase patterns, 4 before the
/// structural scanner and the command-line and assignment secrets, 5 before any tuning on round 4) have floors of their own, so what
/// was never tuned on cannot get worse unseen.
/// </summary>
public sealed class LabelledSetTests(ITestOutputHelper output)
{
    private const double InjectionRecallFloor = 0.95;
    private const double SecretRecallFloor = 0.97;
    private const double PersonalDataRecallFloor = 0.95;
    private const double BenignRefusedCeiling = 0.05;

    // Rounds written after the last change to the detectors they score, with floors (injection and
    // secret recall) and a ceiling (benign refused or held) of their own.
    public static TheoryData<int, double, double, double> UnseenRounds => new()
    {
        { 3, 1.0, 1.0, BenignRefusedCeiling },
        { 4, 0.92, 0.86, BenignRefusedCeiling },
        { 5, 0.75, 1.0, 0.15 },
    };

    private static readonly IReadOnlyList<LabelledText> Texts = LabelledText.Load();
    private static readonly Lazy<IReadOnlyList<Verdict>> Verdicts = new(() => Texts.Select(Judge).ToList());

    [Fact]
    public void Set_HasAtLeast200TextsWithUniqueIdsKnownCategoriesAndEightyBenign()
    {
        Texts.Count.ShouldBeGreaterThanOrEqualTo(200);
        Texts.Select(t => t.Id).Distinct(StringComparer.Ordinal).Count().ShouldBe(Texts.Count);
        Texts.ShouldAllBe(t => t.Category == LabelledText.Injection || t.Category == LabelledText.Secret
                               || t.Category == LabelledText.PersonalData || t.Category == LabelledText.Benign);
        Texts.ShouldAllBe(t => !string.IsNullOrWhiteSpace(t.Source) && !string.IsNullOrWhiteSpace(t.Text));
        Texts.Count(t => t.Category == LabelledText.Benign).ShouldBeGreaterThanOrEqualTo(80);
    }

    [Fact]
    public void Injection_RecallMeetsItsFloor()
    {
        var (recall, missed) = Recall(LabelledText.Injection, v => v.Found(FindingKinds.InjectionFamily));

        recall.ShouldBeGreaterThanOrEqualTo(InjectionRecallFloor, $"injection markers missed: {string.Join(", ", missed)}");
    }

    [Fact]
    public void Secrets_RecallMeetsItsFloor()
    {
        var (recall, missed) = Recall(LabelledText.Secret, v => v.Found(FindingKinds.SecretFamily));

        recall.ShouldBeGreaterThanOrEqualTo(SecretRecallFloor, $"secrets missed: {string.Join(", ", missed)}");
    }

    [Fact]
    public void PersonalData_RecallMeetsItsFloor()
    {
        var (recall, missed) = Recall(LabelledText.PersonalData, v => v.Found(FindingKinds.PiiFamily));

        recall.ShouldBeGreaterThanOrEqualTo(PersonalDataRecallFloor, $"personal data missed: {string.Join(", ", missed)}");
    }

    [Fact]
    public void Benign_AtMostFivePercentAreRefusedOrHeld()
    {
        var benign = Verdicts.Value.Where(v => v.Text.Category == LabelledText.Benign).ToList();
        var refused = benign.Where(v => v.Refused).ToList();
        Report();

        var share = (double)refused.Count / benign.Count;

        share.ShouldBeLessThanOrEqualTo(BenignRefusedCeiling,
            $"benign texts refused or held: {string.Join(", ", refused.Select(v => $"{v.Text.Id} ({v.RefusedBy})"))}");
    }

    [Theory]
    [MemberData(nameof(UnseenRounds))]
    public void UnseenRound_MeetsItsOwnFloorsAndCeiling(int round, double injectionFloor, double secretFloor, double benignCeiling)
    {
        var unseen = Verdicts.Value.Where(v => v.Text.Round == round).ToList();
        var (injection, missedInjection) = Recall(LabelledText.Injection, v => v.Found(FindingKinds.InjectionFamily), unseen);
        var (secrets, missedSecrets) = Recall(LabelledText.Secret, v => v.Found(FindingKinds.SecretFamily), unseen);
        var benign = unseen.Where(v => v.Text.Category == LabelledText.Benign).ToList();

        unseen.ShouldNotBeEmpty();
        injection.ShouldBeGreaterThanOrEqualTo(injectionFloor, $"injection markers missed: {string.Join(", ", missedInjection)}");
        secrets.ShouldBeGreaterThanOrEqualTo(secretFloor, $"secrets missed: {string.Join(", ", missedSecrets)}");
        ((double)benign.Count(v => v.Refused) / benign.Count).ShouldBeLessThanOrEqualTo(benignCeiling,
            $"benign texts refused or held: {string.Join(", ", benign.Where(v => v.Refused).Select(v => $"{v.Text.Id} ({v.RefusedBy})"))}");
    }

    private (double Recall, List<string> Missed) Recall(string category, Func<Verdict, bool> caught, IReadOnlyList<Verdict>? among = null)
    {
        var texts = (among ?? Verdicts.Value).Where(v => v.Text.Category == category).ToList();
        var missed = texts.Where(v => !caught(v)).Select(v => v.Text.Id).ToList();
        Report();
        return (texts.Count == 0 ? 1.0 : (double)(texts.Count - missed.Count) / texts.Count, missed);
    }

    // Per category: size, recall (caught by a finding of its own family), precision of that family's
    // findings against the benign texts, and the share refused or held by the default policy; for the
    // whole set and for each round of writing (see LabelledText.Round).
    private void Report()
    {
        output.WriteLine(Figures(Verdicts.Value, "whole set"));
        foreach (var round in Verdicts.Value.Select(v => v.Text.Round).Distinct().Order())
            output.WriteLine(Figures(Verdicts.Value.Where(v => v.Text.Round == round).ToList(), $"texts of round {round}"));
    }

    private static string Figures(IReadOnlyList<Verdict> verdicts, string title)
    {
        var lines = new StringBuilder().AppendLine(title);
        var benign = verdicts.Where(v => v.Text.Category == LabelledText.Benign).ToList();
        foreach (var (category, family) in new[]
                 {
                     (LabelledText.Injection, FindingKinds.InjectionFamily), (LabelledText.Secret, FindingKinds.SecretFamily),
                     (LabelledText.PersonalData, FindingKinds.PiiFamily),
                 })
        {
            var texts = verdicts.Where(v => v.Text.Category == category).ToList();
            var caught = texts.Count(v => v.Found(family));
            var falseAlarms = benign.Count(v => v.Found(family));
            var precision = caught + falseAlarms == 0 ? 1.0 : (double)caught / (caught + falseAlarms);
            lines.AppendLine(CultureInfo.InvariantCulture,
                $"{category,-14} {texts.Count,3} texts  recall {Share(caught, texts.Count)} ({caught})  precision {precision:0.000}  refused or held {texts.Count(v => v.Refused),3}  missed: {string.Join(", ", texts.Where(v => !v.Found(family)).Select(v => v.Text.Id))}");
        }
        var refused = benign.Where(v => v.Refused).ToList();
        lines.AppendLine(CultureInfo.InvariantCulture,
            $"{LabelledText.Benign,-14} {benign.Count,3} texts  refused or held {Share(refused.Count, benign.Count)} ({refused.Count}): {string.Join(", ", refused.Select(v => $"{v.Text.Id} ({v.RefusedBy})"))}");
        return lines.ToString();
    }

    private static string Share(int part, int whole) =>
        whole == 0 ? "-" : ((double)part / whole).ToString("0.000", CultureInfo.InvariantCulture);

    private static Verdict Judge(LabelledText text) => new(text, GuardrailScanner.Default.Scan(text.Text));

    private sealed record Verdict(LabelledText Text, IReadOnlyList<Finding> Findings)
    {
        public bool Found(string family) => Findings.Any(f => f.Family == family);

        /// <summary>The default policy refuses secrets and guardrail failures and holds injection markers.</summary>
        public bool Refused => Findings.Any(IsActedOn);

        public string RefusedBy => string.Join(" ", Findings.Where(IsActedOn).Select(f => f.PatternId ?? f.Kind).Distinct(StringComparer.Ordinal));

        private static bool IsActedOn(Finding f) =>
            f.Family is FindingKinds.SecretFamily or FindingKinds.InjectionFamily or FindingKinds.GuardrailFamily;
    }
}
