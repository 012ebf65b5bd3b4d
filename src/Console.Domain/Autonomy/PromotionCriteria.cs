using System.Globalization;

namespace Warden.Domain.Autonomy;

/// <summary>Evaluates the criteria for the next level against a track record. Thresholds are inclusive minima and exclusive maxima.</summary>
public static class PromotionCriteria
{
    public static IReadOnlyList<CriterionResult> Evaluate(LevelCriteria criteria, TrackRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        ArgumentNullException.ThrowIfNull(record);
        var results = new List<CriterionResult>();
        if (criteria.MinDaysAtLevel > 0)
            results.Add(Days(CriterionCodes.DaysAtLevel, $"Days at level {record.Level}", now - record.LevelSince, criteria.MinDaysAtLevel, "at this level"));
        if (criteria.MinDecisions > 0)
        {
            var missing = criteria.MinDecisions - record.DecisionsAtLevel;
            results.Add(new CriterionResult(CriterionCodes.Decisions, $"Decisions at level {record.Level}", Number(record.DecisionsAtLevel), $"≥ {Number(criteria.MinDecisions)}",
                missing <= 0, missing <= 0 ? null : $"{Number(missing)} more decisions"));
        }
        if (criteria.CriticalFreeDays > 0)
            results.Add(Days(CriterionCodes.CriticalFree, "Days without a critical violation", now - record.CleanSince, criteria.CriticalFreeDays, "without a critical violation"));
        if (criteria.MaxFalsePositiveRate is { } maxRate)
            results.Add(FalsePositives(record, maxRate));
        if (criteria.RequireAttestation)
            results.Add(new CriterionResult(CriterionCodes.Attestation, "Owner attestation current", record.AttestationCurrent ? "current" : "overdue", "current",
                record.AttestationCurrent, record.AttestationCurrent ? null : "the owner's attestation"));
        if (criteria.RequireVerifiedEvidence)
            results.Add(new CriterionResult(CriterionCodes.Evidence, "Last evidence pack verified",
                record.EvidenceVerified switch { true => "verified", false => "not verified", null => "not available" }, "verified",
                record.EvidenceVerified == true,
                record.EvidenceVerified switch { true => null, false => "a verified evidence pack", null => "evidence packs are not available yet, so this counts as failed" }));
        return results;
    }

    private static CriterionResult Days(string code, string name, TimeSpan elapsed, int minimum, string what)
    {
        var passed = elapsed >= TimeSpan.FromDays(minimum);
        var shown = Math.Max(0, (int)Math.Floor(elapsed.TotalDays));
        var missing = passed ? null : $"{Math.Max(1, (int)Math.Ceiling((TimeSpan.FromDays(minimum) - elapsed).TotalDays))} more days {what}";
        return new CriterionResult(code, name, Number(shown), $"≥ {Number(minimum)}", passed, missing);
    }

    private static CriterionResult FalsePositives(TrackRecord record, double maxRate)
    {
        var threshold = $"< {Percent(maxRate)}";
        if (record.ReviewedFindings == 0)
            return new CriterionResult(CriterionCodes.FalsePositiveRate, "False-positive rate of reviewed violations and findings", "none reviewed (0 %)", threshold, true, null);
        var rate = (double)record.FalsePositives / record.ReviewedFindings;
        var passed = rate < maxRate;
        var measured = $"{Percent(rate)} ({Number(record.FalsePositives)} of {Number(record.ReviewedFindings)})";
        return new CriterionResult(CriterionCodes.FalsePositiveRate, "False-positive rate of reviewed violations and findings", measured, threshold, passed,
            passed ? null : $"a false-positive rate below {Percent(maxRate)}");
    }

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double value) => (value * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";
}
