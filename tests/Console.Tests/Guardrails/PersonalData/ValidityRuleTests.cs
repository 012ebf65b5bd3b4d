using Warden.Domain.Guardrails.PersonalData;

namespace Warden.Tests.Guardrails.PersonalData;

public sealed class ValidityRuleTests
{
    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("378282246310005", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("1234567890123456", false)]
    [InlineData("", false)]
    [InlineData("41111111111111a1", false)]
    public void Luhn_IsValid_ChecksTheCheckDigit(string digits, bool expected)
    {
        Luhn.IsValid(digits).ShouldBe(expected);
    }

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("5555555555554444", true)]
    [InlineData("2223003122003222", true)]
    [InlineData("9400100000000000000", false)]
    [InlineData("7712345678901234", false)]
    [InlineData("411111111111", false)]
    public void Luhn_HasCardIssuerPrefix_KnowsTheIssuerRangesAndLengths(string digits, bool expected)
    {
        Luhn.HasCardIssuerPrefix(digits).ShouldBe(expected);
    }

    [Theory]
    [InlineData("DE89370400440532013000", true)]
    [InlineData("GB82WEST12345698765432", true)]
    [InlineData("NO9386011117947", true)]
    [InlineData("DE89370400440532013001", false)]
    [InlineData("DE8937040044053201300", false)]
    [InlineData("ZZ12345678901234567890", false)]
    [InlineData("de89370400440532013000", false)]
    public void Iban_IsValid_ChecksCountryLengthAndMod97(string iban, bool expected)
    {
        Iban.IsValid(iban).ShouldBe(expected);
    }

    [Theory]
    [InlineData(123, 45, 6789, true)]
    [InlineData(0, 12, 3456, false)]
    [InlineData(666, 12, 3456, false)]
    [InlineData(900, 12, 3456, false)]
    [InlineData(999, 12, 3456, false)]
    [InlineData(123, 0, 4567, false)]
    [InlineData(123, 45, 0, false)]
    [InlineData(899, 99, 9999, true)]
    public void SocialSecurityNumber_IsIssuable_RefusesTheNeverIssuedRanges(int area, int group, int serial, bool expected)
    {
        SocialSecurityNumber.IsIssuable(area, group, serial).ShouldBe(expected);
    }
}
