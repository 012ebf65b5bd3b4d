using Warden.Domain.Guardrails;
using Warden.Domain.Guardrails.Packs;
using Warden.Domain.Guardrails.PersonalData;

namespace Warden.Tests.Guardrails.PersonalData;

public sealed class PersonalDataScannerTests
{
    [Theory]
    [InlineData("write to olivia.smith@example.com today")]
    [InlineData("olivia dot smith at example dot com")]
    [InlineData("bob [at] example [dot] org please")]
    [InlineData("Sent to olivia.smith@example.com: card on file")]
    [InlineData("reply to olivia@example.com:")]
    public void Email_AddressesIncludingSpelledOut_AreFound(string text)
    {
        Scans.Kinds(new EmailScanner(), text).ShouldBe([FindingKinds.Email]);
    }

    [Theory]
    [InlineData("icon@2x.png")]
    [InlineData("git clone git@github.com:acme/warden.git")]
    [InlineData("postgres://warden:pw@db.example.com/x")]
    [InlineData("admin@localhost")]
    [InlineData("look at the dot matrix printer")]
    public void Email_FileNamesRemotesCredentialsAndProse_AreNotAddresses(string text)
    {
        Scans.Run(new EmailScanner(), text).ShouldBeEmpty();
    }

    [Fact]
    public void Email_Finding_LocatesTheAddressAndMasksItsExcerpt()
    {
        var finding = Scans.Run(new EmailScanner(), "to: olivia@example.com").ShouldHaveSingleItem();

        finding.Location.ShouldBe("$.value");
        (finding.Start, finding.Length).ShouldBe((4, 18));
        finding.Excerpt.ShouldBe("o•••@example.com");
    }

    [Theory]
    [InlineData("+44 20 7946 0958")]
    [InlineData("(415) 555-0132")]
    [InlineData("212-555-0187")]
    [InlineData("202 555 0173")]
    [InlineData("020 7946 0958")]
    public void Phone_CommonFormats_AreFound(string text)
    {
        Scans.Kinds(new PhoneScanner(), "call " + text).ShouldBe([FindingKinds.Phone]);
    }

    [Theory]
    [InlineData("2026-11-25")]
    [InlineData("10.0.401")]
    [InlineData("978-3-16-148410-0")]
    [InlineData("9400 1000 0000 0000 0000 00")]
    [InlineData("1,234,567.89")]
    public void Phone_DatesVersionsIsbnsAndLongRuns_AreNotPhones(string text)
    {
        Scans.Run(new PhoneScanner(), text).ShouldBeEmpty();
    }

    [Fact]
    public void Phone_InAFieldNamedLikeAPhone_IsFoundWithoutSeparators()
    {
        Scans.Kinds(new PhoneScanner(), "5550132987", field: "mobile_number").ShouldBe([FindingKinds.Phone]);
        Scans.Run(new PhoneScanner(), "5550132987", field: "order_id").ShouldBeEmpty();
    }

    [Fact]
    public void Phone_IntroducedAsASerialNumber_IsBelowTheUsualThreshold()
    {
        Scans.Run(new PhoneScanner(), "Serial no. 0123 4567 890").ShouldHaveSingleItem().Confidence.ShouldBeLessThan(0.5);
    }

    [Theory]
    [InlineData("4111111111111111")]
    [InlineData("4539 1488 0343 6467")]
    [InlineData("5425-2334-3010-9903")]
    [InlineData("3782 822463 10005")]
    [InlineData("4111.1111.1111.1111")]
    public void Card_LuhnValidNumbersWithSeparators_AreFound(string text)
    {
        var finding = Scans.Run(new CardScanner(), $"card {text} ok").ShouldHaveSingleItem();

        finding.Kind.ShouldBe(FindingKinds.Card);
        finding.Excerpt.ShouldNotContain(text);
    }

    [Theory]
    [InlineData("4111111111111112")]
    [InlineData("1234 5678 9012 3456")]
    [InlineData("7712345678901234")]
    [InlineData("411111111111")]
    [InlineData("41111111111111111111111")]
    public void Card_FailingLuhnIssuerOrLength_IsNotACard(string text)
    {
        Scans.Run(new CardScanner(), $"ref {text}").ShouldBeEmpty();
    }

    [Theory]
    [InlineData("DE89370400440532013000")]
    [InlineData("DE89 3704 0044 0532 0130 00")]
    [InlineData("de89 3704 0044 0532 0130 00")]
    [InlineData("GB29 NWBK 6016 1331 9268 19 please")]
    public void Iban_ValidNumbers_AreFoundInEitherCaseAndGrouping(string text)
    {
        Scans.Kinds(new IbanScanner(), "pay " + text).ShouldBe([FindingKinds.Iban]);
    }

    [Theory]
    [InlineData("DE89370400440532013001")]
    [InlineData("DE8937040044053201300")]
    [InlineData("ZZ12345678901234567890")]
    public void Iban_FailingMod97LengthOrCountry_IsNotAnIban(string text)
    {
        Scans.Run(new IbanScanner(), "pay " + text).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("123-45-6789", true)]
    [InlineData("078 05 1120", true)]
    [InlineData("000-12-3456", false)]
    [InlineData("666-12-3456", false)]
    [InlineData("912-34-5678", false)]
    [InlineData("123-00-4567", false)]
    [InlineData("123-45-0000", false)]
    [InlineData("123-45 6789", false)]
    public void Ssn_AppliesTheIssuingRules(string text, bool expected)
    {
        Scans.Run(new SsnScanner(), "ssn " + text).Count.ShouldBe(expected ? 1 : 0);
    }

    [Fact]
    public void Ssn_NineDigits_AreOnlyAnSsnInAFieldNamedLikeOne()
    {
        Scans.Kinds(new SsnScanner(), "536221234", field: "ssn").ShouldBe([FindingKinds.Ssn]);
        Scans.Run(new SsnScanner(), "536221234", field: "order_id").ShouldBeEmpty();
    }

    [Theory]
    [InlineData("from 203.0.113.42 port 22")]
    [InlineData("peer 2001:db8::8a2e:370:7334 dropped")]
    [InlineData("client 2001:0db8:85a3:0000:0000:8a2e:0370:7334")]
    public void Ip_V4AndV6Addresses_AreFound(string text)
    {
        Scans.Kinds(new IpAddressScanner(), text).ShouldBe([FindingKinds.IpAddress]);
    }

    [Theory]
    [InlineData("version 1.2.3.4")]
    [InlineData("OID 1.3.6.1.4.1")]
    [InlineData("at 10:30:00")]
    [InlineData("MAC 00:1A:2B:3C:4D:5E")]
    [InlineData("value 300.1.2.3")]
    [InlineData("loopback ::1")]
    public void Ip_VersionsTimesMacsAndOutOfRange_AreNotAddresses(string text)
    {
        Scans.Run(new IpAddressScanner(), text).ShouldBeEmpty();
    }

    [Fact]
    public void CustomPack_PatternsBecomeCustomKinds()
    {
        var scanner = PackScanner.CustomPersonalData(PatternPack.BuiltIn(PatternPack.CustomPiiV1));

        var finding = Scans.Run(scanner, "NINO AB123456C").ShouldHaveSingleItem();

        finding.Kind.ShouldBe("pii.custom:uk_nino");
        finding.PatternId.ShouldBe("uk-national-insurance");
    }
}
