using Warden.Domain.Previews;

namespace Warden.Tests.Domain.Previews;

public sealed class ActionPreviewTests
{
    [Fact]
    public void Digest_IsTheSameForTheSameMeaning_WhateverTheLineEndingsAndAmountScale()
    {
        var one = ActionPreview.Create("Pay ACME", "a\r\nb", ["invoices/7"], 120.00m, "eur").Value;
        var two = ActionPreview.Create("  Pay ACME ", "a\nb", ["invoices/7"], 120m, "EUR").Value;

        one.Digest.ShouldBe(two.Digest);
        one.Digest.Length.ShouldBe(64);
    }

    [Theory]
    [InlineData("Pay ACME", "a\nc", "invoices/7", 120)]
    [InlineData("Pay ACME!", "a\nb", "invoices/7", 120)]
    [InlineData("Pay ACME", "a\nb", "invoices/8", 120)]
    [InlineData("Pay ACME", "a\nb", "invoices/7", 121)]
    public void Digest_ChangesWithAnyField(string summary, string changes, string record, int amount) =>
        ActionPreview.Create(summary, changes, [record], amount, "EUR").Value.Digest
            .ShouldNotBe(ActionPreview.Create("Pay ACME", "a\nb", ["invoices/7"], 120m, "EUR").Value.Digest);

    [Theory]
    [InlineData(null, null, 0, null, "preview.summary")]
    [InlineData("two\nlines", null, 0, null, "preview.summary")]
    [InlineData("ok", "\u0007bell", 0, null, "preview.changes")]
    [InlineData("ok", null, 101, null, "preview.records")]
    [InlineData("ok", null, 0, "-1", "preview.amount")]
    [InlineData("ok", null, 0, "1.00001", "preview.amount")]
    public void Create_RefusesBadShapes_NamingTheField(string? summary, string? changes, int records, string? amount, string field)
    {
        var list = Enumerable.Range(0, records).Select(i => (string?)$"r/{i}").ToList();

        var result = ActionPreview.Create(summary, changes, list, amount is null ? null : decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), "EUR");

        result.Error.Code.ShouldBe(PreviewErrors.InvalidCode);
        result.Error.Message.ShouldContain(field);
    }

    [Fact]
    public void Create_RefusesAnAmountWithoutCurrency() =>
        ActionPreview.Create("ok", null, [], 5m, null).Error.Message.ShouldContain("preview.currency");

    [Fact]
    public void Create_RefusesChangesOverTheCap() =>
        ActionPreview.Create("ok", new string('x', ActionPreview.MaxChangesLength + 1), [], null, null).IsFailure.ShouldBeTrue();
}
