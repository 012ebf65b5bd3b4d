using Warden.Domain.Audit;

namespace Warden.Tests.Domain.Audit;

public sealed class PiiMaskerTests
{
    [Theory]
    [InlineData("mail olivia.smith@example.com now", "mail o***@example.com now")]
    [InlineData("card 4111 1111 1111 1111", "card **** **** **** 1111")]
    [InlineData("call +44 20 7946 0958", "call +** ** **** 0958")]
    [InlineData("card 4111111111111111.", "card ************1111.")]
    public void MaskText_PersonalData_IsMaskedKeepingTheEnd(string text, string expected)
    {
        PiiMasker.MaskText(text).ShouldBe(expected);
    }

    [Theory]
    [InlineData("agt_01JDX4ZK0M9Q3Y7W8V6T5S4R3P")]
    [InlineData("2026-11-25T09:00:00.0000000+00:00")]
    [InlineData("order 12345678 of 42 items")]
    public void MaskText_IdsDatesAndShortNumbers_AreLeftAlone(string text)
    {
        PiiMasker.MaskText(text).ShouldBe(text);
    }

    [Fact]
    public void MaskJson_MasksStringValuesAndLongNumbersAndStaysValidJson()
    {
        var json = """{"email":"bob@example.org","nested":{"phone":"555-123-4567"},"card":4111111111111111,"count":3,"list":["x@y.io"]}""";

        var masked = PiiMasker.MaskJson(json);

        masked.ShouldBe("""{"email":"b***@example.org","nested":{"phone":"***-***-4567"},"card":"************1111","count":3,"list":["x***@y.io"]}""");
        System.Text.Json.JsonDocument.Parse(masked).ShouldNotBeNull();
    }

    [Fact]
    public void MaskJson_TextThatIsNotJson_BecomesAMaskedJsonString()
    {
        PiiMasker.MaskJson("write to a@b.com").ShouldBe("\"write to a***@b.com\"");
    }

    [Fact]
    public void MaskJson_NestedObjectsInArrays_AreMaskedInPlace()
    {
        var json = """{"before":{"tools":[{"name":"erp","owner":"ann@corp.example"}],"tags":["a","b"]},"ok":true,"none":null}""";

        var masked = PiiMasker.MaskJson(json);

        masked.ShouldBe("""{"before":{"tools":[{"name":"erp","owner":"a***@corp.example"}],"tags":["a","b"]},"ok":true,"none":null}""");
    }
}
