using Warden.Domain.Guardrails;
using Warden.Domain.Guardrails.HealthData;

namespace Warden.Tests.Guardrails.HealthData;

public sealed class HealthIdentifierScannerTests
{
    private static readonly HealthIdentifierScanner Scanner = new();

    [Theory]
    [InlineData("Discharge summary for MRN: 00482913, follow up in two weeks.")]
    [InlineData("Pt. seen in ED, medical record number 7741-2290, allergic to penicillin.")]
    [InlineData("Please pull the chart for patient ID #A4829137 before rounds.")]
    [InlineData("mrn=5512093 admitted 03/02")]
    public void MedicalRecordNumber_WrittenWithItsLabel_IsFound(string text)
    {
        Scans.Kinds(Scanner, text).ShouldBe([FindingKinds.MedicalRecordNumber]);
    }

    [Fact]
    public void MedicalRecordNumber_InAFieldNamedLikeOne_IsFoundWithoutALabel()
    {
        var finding = Scans.Run(Scanner, "00482913", field: "patient_id").ShouldHaveSingleItem();

        finding.Kind.ShouldBe(FindingKinds.MedicalRecordNumber);
        (finding.Start, finding.Length).ShouldBe((0, 8));
        finding.Excerpt.ShouldNotContain("482913");
    }

    [Fact]
    public void ProviderId_WithAValidCheckDigitNextToNpi_IsFound()
    {
        var findings = Scans.Run(Scanner, "Referred by Dr. Chen, NPI 1245319599, for cardiology.");

        findings.ShouldHaveSingleItem().Kind.ShouldBe(FindingKinds.ProviderId);
        findings[0].Start.ShouldBe("Referred by Dr. Chen, NPI ".Length);
    }

    [Fact]
    public void DeaNumber_WithItsLabelAndCheckDigit_IsFound()
    {
        Scans.Kinds(Scanner, "Rx signed, prescriber DEA AB1234563, oxycodone 5 mg").ShouldBe([FindingKinds.DeaNumber]);
    }

    [Fact]
    public void HealthPlanId_WrittenWithItsLabel_IsFound()
    {
        Scans.Kinds(Scanner, "Insurance: Aetna, member ID W123456789 group 44").ShouldBe([FindingKinds.HealthPlanId]);
    }

    [Theory]
    [InlineData("Order 00482913 shipped to the warehouse on Monday.")]
    [InlineData("The MRN lookup service is down again; retry later.")]
    [InlineData("Patient in room 12 asked for water at 14:30.")]
    [InlineData("NPI 1234567890 was rejected by the registry.")]
    [InlineData("Part number AB1234563 is out of stock.")]
    [InlineData("call 212-555-0187 about invoice 1245319599")]
    [InlineData("Sprint 2026-14: member onboarding flow, 5 story points")]
    public void BenignTexts_WithNumbersButNoHealthIdentifier_HaveNoFinding(string text)
    {
        Scans.Run(Scanner, text).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("1245319599", true)]
    [InlineData("1234567893", true)]
    [InlineData("1234567890", false)]
    [InlineData("3245319599", false)]
    public void IsProviderId_ChecksTheDigitOverThe80840Prefix(string digits, bool expected)
    {
        HealthIdentifierScanner.IsProviderId(digits).ShouldBe(expected);
    }

    [Fact]
    public void DefaultScanner_FindsHealthIdentifiers_AndTheMaskerHidesThem()
    {
        var findings = GuardrailScanner.Default.Scan("Summary for MRN: 00482913 attached.");
        var masked = new GuardrailMasker(new byte[32]).Apply("Summary for MRN: 00482913 attached.", findings);

        findings.ShouldContain(f => f.Kind == FindingKinds.MedicalRecordNumber);
        masked.ShouldNotContain("00482913");
        masked.ShouldContain("[mrn:");
    }
}
