using Warden.Domain.Autonomy;
using Warden.Domain.Decisions;

namespace Warden.Tests.Domain.Autonomy;

public sealed class SeverityTableTests
{
    private static Decision Refused(bool violation, params string[] codes) =>
        new(DecisionOutcome.Deny, codes.Select(c => new DecisionReason(c, c)).ToList(), null, "v1", IsViolation: violation);

    [Fact]
    public void Classify_NotAViolation_HasNoSeverity()
    {
        SeverityTable.Default.Classify(Refused(false, DecisionCodes.Contained), []).ShouldBeNull();
    }

    [Fact]
    public void Classify_GuardrailDenyOfASecret_IsCritical()
    {
        var severity = SeverityTable.Default.Classify(Refused(true, DecisionCodes.PolicyDeny, DecisionCodes.GuardrailFinding), ["pii.email", "secret.cloud_key"]);

        severity.ShouldBe(ViolationSeverity.Critical);
    }

    [Fact]
    public void Classify_FindingKindsWithoutAGuardrailReason_AreIgnored()
    {
        var severity = SeverityTable.Default.Classify(Refused(true, DecisionCodes.RateLimited), ["secret.cloud_key"]);

        severity.ShouldBe(ViolationSeverity.Low);
    }

    [Fact]
    public void Classify_UnlistedCode_TakesTheFallback()
    {
        var table = new SeverityTable(new Dictionary<string, ViolationSeverity>(), new Dictionary<string, ViolationSeverity>(), ViolationSeverity.High);

        table.Classify(Refused(true, DecisionCodes.ToolNotAllowed), []).ShouldBe(ViolationSeverity.High);
    }
}
