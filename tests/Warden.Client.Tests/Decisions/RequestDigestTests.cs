using System.Text.Json;
using Warden.Features.Decisions;
using ConsoleDigest = Warden.Features.Decisions.RequestDigest;

namespace Warden.Client.Tests.Decisions;

/// <summary>The client's digest and the console's, over the very bytes the client sends, agree byte for byte.</summary>
public sealed class RequestDigestTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static TheoryData<string> Asks() => new()
    {
        "plain",
        "nested",
        "unicode",
        "numbers",
        "no-parameters",
        "impact",
        "html",
        "repeated-names",
        "names-beyond-the-basic-plane",
    };

    private static WardenAsk Ask(string name) => name switch
    {
        "plain" => WardenAsk.For("tickets.read", "read", "helpdesk/tickets/1042"),
        "nested" => WardenAsk.For("tickets.reply", "Write", "helpdesk/tickets/7", new { zeta = 1, alpha = new { b = new[] { 3, 1, 2 }, a = (string?)null }, Beta = true }),
        "unicode" => WardenAsk.For("tickets.reply", "write", "helpdesk/tickets/ü", new { body = "Grüße, 東京 — \"quoted\" \u0007 😀" }),
        "numbers" => WardenAsk.For("payments.send", "execute", "payments/x", JsonDocument.Parse("""{"amount": 1.50, "big": 1e3, "neg": -0.0, "n": 12345678901234567890}""").RootElement),
        "no-parameters" => new WardenAsk("crm.read", "READ", "crm/accounts/1"),
        "impact" => WardenAsk.For("payments.send", "execute", "payments/suppliers/9", new { invoiceId = "INV-9" }) with
        {
            Impact = new WardenImpact(3, 1200.50m, "eur"),
            Justification = "supplier asked twice",
        },
        "html" => WardenAsk.For("tickets.reply", "write", "helpdesk/<tickets>&'x'", new { body = "<script>alert('x')</script> & +" }),
        "repeated-names" => WardenAsk.For("t", "read", "r", JsonDocument.Parse("""{"b":1,"a":{"z":0,"y":1},"b":2,"a":3}""").RootElement),
        "names-beyond-the-basic-plane" => WardenAsk.For("t", "read", "r", JsonDocument.Parse("{\"\uE000\":1,\"😀\":2,\"ä\":3,\"A\":4}").RootElement),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Asks))]
    public void Of_TheBodyTheClientSends_MatchesTheConsolesDigest(string name)
    {
        var ask = Ask(name);
        var sent = JsonSerializer.Serialize(ask, WardenJson.Options);

        var received = JsonSerializer.Deserialize<DecisionRequestBody>(sent, Web)!;

        RequestDigest.Of(ask).ShouldBe(ConsoleDigest.Of(received));
    }

    [Fact]
    public void Of_PropertyOrder_DoesNotChangeTheDigest()
    {
        var one = WardenAsk.For("t", "read", "r", JsonDocument.Parse("""{"a":1,"b":{"y":2,"x":1}}""").RootElement);
        var other = WardenAsk.For("t", "read", "r", JsonDocument.Parse("""{ "b" : { "x":1, "y":2 }, "a":1 }""").RootElement);

        RequestDigest.Of(one).ShouldBe(RequestDigest.Of(other));
    }

    [Fact]
    public void Of_AnyDifferentArgument_ChangesTheDigest()
    {
        var ask = WardenAsk.For("tickets.reply", "write", "helpdesk/tickets/1", new { body = "yes" });

        RequestDigest.Of(ask with { Resource = "helpdesk/tickets/2" }).ShouldNotBe(RequestDigest.Of(ask));
        RequestDigest.Of(WardenAsk.For("tickets.reply", "write", "helpdesk/tickets/1", new { body = "no" })).ShouldNotBe(RequestDigest.Of(ask));
        RequestDigest.Of(ask with { Impact = new WardenImpact(Records: 2) }).ShouldNotBe(RequestDigest.Of(ask));
    }
}
