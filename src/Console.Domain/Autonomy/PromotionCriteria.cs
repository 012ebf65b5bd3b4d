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
        if (criteria.MaxAwaitingReview is { } maxAwaiting)
            results.Add(new CriterionResult(CriterionCodes.AwaitingReview, $"Actions at level {record.Level} awaiting review", Number(record.AwaitingReview), $"≤ {Number(maxAwaiting)}",
                record.AwaitingReview <= maxAwaiting, record.AwaitingReview <= maxAwaiting ? null : $"{Number(record.AwaitingReview - maxAwaiting)} more actions reviewed"));
        if (criteria.MaxRejectionRate is { } maxRejected)
            results.Add(Rejections(record, maxRejected));
        if (criteria.MinCompensableWriteTools > 0)
            results.Add(Compensable(record, criteria.MinCompensableWriteTools));
        if (criteria.MinRedTeamScore is { } minScore)
            results.Add(Drill(record, minScore));
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

    private static CriterionResult Rejections(TrackRecord record, double maxRate)
    {
        const string name = "Rejection rate of actions reviewed after the fact";
        var threshold = $"< {Percent(maxRate)}";
        if (record.ReviewedActions == 0)
            return new CriterionResult(CriterionCodes.RejectionRate, name, "none reviewed (0 %)", threshold, true, null);
        var rate = (double)record.RejectedActions / record.ReviewedActions;
        var passed = rate < maxRate;
        return new CriterionResult(CriterionCodes.RejectionRate, name, $"{Percent(rate)} ({Number(record.RejectedActions)} of {Number(record.ReviewedActions)})", threshold, passed,
            passed ? null : $"a rejection rate below {Percent(maxRate)}");
    }

    private static CriterionResult Compensable(TrackRecord record, int minimum)
    {
        const string name = "Write tools with a compensating action (the only changes level 2 lets go alone)";
        if (record.CompensableWriteTools is not { } count)
            return new CriterionResult(CriterionCodes.CompensableTools, name, "could not be read", $"≥ {Number(minimum)}", false,
                "the tools' compensating actions could not be read, so this counts as failed");
        var passed = count >= minimum;
        return new CriterionResult(CriterionCodes.CompensableTools, name, $"{Number(count)} of {Number(record.WriteTools)}", $"≥ {Number(minimum)}", passed,
            passed ? null : $"{Number(minimum - count)} more write tools declaring a compensating action");
    }

    private static CriterionResult Drill(TrackRecord record, int minimum)
    {
        const string name = "Latest red-team drill passed";
        var threshold = $"≥ {Number(minimum)} %";
        if (record.LatestDrill is not { } drill)
            return new CriterionResult(CriterionCodes.RedTeamDrill, name, "no drill", threshold, false, $"a red-team drill scoring at least {Number(minimum)} % (none was run)");
        var passed = drill.Score >= minimum;
        var measured = $"{drill.Score.ToString("0.#", CultureInfo.InvariantCulture)} % ({drill.CompletedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})";
        return new CriterionResult(CriterionCodes.RedTeamDrill, name, measured, threshold, passed,
            passed ? null : $"a red-team drill scoring at least {Number(minimum)} % (the latest scored {drill.Score.ToString("0.#", CultureInfo.InvariantCulture)} %)");
    }

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double value) => (value * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";
}
