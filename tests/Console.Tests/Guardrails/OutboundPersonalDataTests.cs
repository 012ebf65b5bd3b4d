using System.Text.Json;
using Warden.Domain.Guardrails;

namespace Warden.Tests.Guardrails;

public sealed class OutboundPersonalDataTests
{
    private static IReadOnlyList<Finding> Outbound(string json, params string[] scopes)
    {
        using var document = JsonDocument.Parse(json);
        var findings = GuardrailScanner.Default.Scan(document.RootElement);
        return OutboundPersonalData.Find(document.RootElement, findings, host => scopes.Contains(host));
    }

    [Fact]
    public void PersonalDataToAnOutsideRecipient_IsOutbound()
    {
        var found = Outbound("""{"to":"someone@partner.example","body":"card 4111 1111 1111 1111 for Olivia"}""");

        var finding = found.ShouldHaveSingleItem();
        finding.Kind.ShouldBe(FindingKinds.Outbound);
        finding.Location.ShouldBe("$.to");
        finding.Excerpt.ShouldBe("personal data (pii.card) to partner.example");
        finding.Excerpt.ShouldNotContain("4111");
    }

    [Fact]
    public void PersonalDataToAHostInScope_IsNotOutbound() =>
        Outbound("""{"url":"https://mail.partner.example/send","body":"mail olivia@example.com"}""", "mail.partner.example").ShouldBeEmpty();

    [Fact]
    public void OnlyTheRecipientsOwnAddress_IsNotOutbound() =>
        Outbound("""{"to":"someone@partner.example","body":"Your order has shipped."}""").ShouldBeEmpty();

    [Fact]
    public void PersonalDataWithoutADestination_IsNotOutbound() =>
        Outbound("""{"note":"call +1 415 555 0100","reference":"https://partner.example/x"}""").ShouldBeEmpty();

    [Fact]
    public void EachOutsideDestination_InArraysToo_IsOneFinding()
    {
        var found = Outbound("""{"recipients":["a@one.example","b@two.example"],"body":"IBAN DE89 3704 0044 0532 0130 00"}""", "two.example");

        found.ShouldHaveSingleItem().Location.ShouldBe("$.recipients[0]");
    }

    [Theory]
    [InlineData("olivia@Example.COM", "example.com")]
    [InlineData("mailto:olivia@example.com", "example.com")]
    [InlineData("https://hooks.partner.example:8443/x?y=1", "hooks.partner.example")]
    [InlineData("partner.example", "partner.example")]
    [InlineData("not a host", null)]
    [InlineData("localhost", null)]
    public void HostOf_NamesTheHost(string value, string? host) => OutboundPersonalData.HostOf(value).ShouldBe(host);
}
