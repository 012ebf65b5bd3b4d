using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain.Agents;
using Warden.Features.Agents;
using Warden.Features.Decisions;
using Warden.Features.Decisions.Provenance;
using Warden.Features.Policies;
using Warden.Persistence;
using Warden.Tests.Features.Policies;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Decisions;

/// <summary>
/// Outputs that leave clean, through the real API on real SQLite: the policy masks, holds or refuses
/// personal data by kind and destination, what is released carries a provenance a recipient can check,
/// and nothing masked is stored or returned.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class OutputScrubbingTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    internal const string Email = "olivia.hart@example.com";
    internal const string Card = "4111 1111 1111 1111";
    internal const string Iban = "DE89 3704 0044 0532 0130 00";
    internal static readonly string Leaky = $"Customer 7: {Email}, card {Card}, IBAN {Iban}.";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static AgentDraft Mailing() => Draft() with { Scopes = [.. Draft().Scopes, "mail.partner.example/**"] };

    [Fact]
    public async Task ReviewOutput_PersonalDataToNoNamedDestination_IsReleasedMaskedAndStoredMasked()
    {
        var (client, action) = await AllowedActionAsync();

        var answer = await ReviewAsync(client, action, Leaky);

        answer.GetProperty("outcome").GetString().ShouldBe("allow");
        answer.GetProperty("reasons")[0].GetProperty("code").GetString().ShouldBe("output_masked");
        var release = answer.GetProperty("release");
        var text = release.GetProperty("text").GetString()!;
        AssertClean(text);
        text.ShouldStartWith("Customer 7: [email:");
        release.GetProperty("output").GetString().ShouldBe(text);
        release.GetProperty("digest").GetString().ShouldBe(Sha256(text));
        Masked(release).ShouldBe(new Dictionary<string, int> { ["pii.card"] = 1, ["pii.email"] = 1, ["pii.iban"] = 1 });
        AssertClean(answer.GetRawText());
        var (decision, events) = await StoredAsync(answer.GetProperty("id").GetString()!);
        AssertClean(decision);
        events.ShouldContain(e => e.Kind == OutputReleases.EventKind);
        events.ShouldAllBe(e => !e.Data.Contains(Email) && !e.Data.Contains("4111") && !e.Data.Contains("DE89"));
        events.Single(e => e.Kind == OutputReleases.EventKind).Data.ShouldContain(release.GetProperty("provenance").GetString()!);
    }

    [Fact]
    public async Task ReviewOutput_DestinationTheScopesCover_IsReleasedAsSentWithItsProvenance()
    {
        var (client, action) = await AllowedActionAsync(Mailing());

        var answer = await ReviewAsync(client, action, Leaky, destination: "https://mail.partner.example/send");

        answer.GetProperty("reasons")[0].GetProperty("code").GetString().ShouldBe("output_released");
        var release = answer.GetProperty("release");
        release.GetProperty("text").GetString().ShouldBe(Leaky);
        release.GetProperty("masked").GetArrayLength().ShouldBe(0);
        (await VerifyAsync(release.GetProperty("provenance").GetString()!, text: Leaky)).GetProperty("reason").GetString().ShouldBe("valid");
    }

    [Fact]
    public async Task ReviewOutput_StructuredOutput_IsMaskedInEveryValueAndDigestedAsWritten()
    {
        var (client, action) = await AllowedActionAsync();

        var answer = await ReviewAsync(client, action, new { summary = "found one", customer = new { email = Email, card = Card }, iban = Iban });

        var release = answer.GetProperty("release");
        var text = release.GetProperty("text").GetString()!;
        AssertClean(text);
        release.GetProperty("output").GetProperty("customer").GetProperty("email").GetString()!.ShouldStartWith("[email:");
        release.GetProperty("output").GetProperty("summary").GetString().ShouldBe("found one");
        release.GetProperty("digest").GetString().ShouldBe(Sha256(text));
    }

    [Fact]
    public async Task ReviewOutput_PolicyChoosesDenyHoldOrMaskPerKindAndDestination()
    {
        await PolicyCandidates.PublishAsync(app, DefaultPolicy.Yaml
            .Replace($"version: \"{DefaultPolicy.Version}\"", "version: \"scrub-per-destination\"", StringComparison.Ordinal)
            .Replace("rules:\n", """
                rules:
                  - id: no-cards-to-reports
                    match: { findings: [pii.card], destinations: ["*.reports.example"] }
                    effect: deny
                    message: Card numbers never go to the reporting service.
                  - id: emails-to-reports-wait
                    match: { findings: [pii.email], destinations: ["*.reports.example"] }
                    effect: require_approval

                """, StringComparison.Ordinal));
        var (client, action) = await AllowedActionAsync();
        const string reports = "https://eu.reports.example/upload";

        var card = await ReviewAsync(client, action, $"card {Card} and {Email}", reports);
        var email = await ReviewAsync(client, action, $"write to {Email}", reports);
        var iban = await ReviewAsync(client, action, $"pay to {Iban}", reports);

        (card.GetProperty("outcome").GetString(), card.GetProperty("reasons")[0].GetProperty("message").GetString())
            .ShouldBe(("deny", "Card numbers never go to the reporting service."));
        card.TryGetProperty("release", out _).ShouldBeFalse();
        email.GetProperty("outcome").GetString().ShouldBe("pending");
        email.TryGetProperty("release", out _).ShouldBeFalse();
        iban.GetProperty("reasons")[0].GetProperty("code").GetString().ShouldBe("output_masked");
        iban.GetProperty("release").GetProperty("text").GetString()!.ShouldNotContain("DE89");
    }

    [Fact]
    public async Task VerifyProvenance_AcceptsTheReleasedOutputAndRefusesEachTamperWithItsReason()
    {
        var (client, action) = await AllowedActionAsync();
        var first = (await ReviewAsync(client, action, Leaky)).GetProperty("release");
        var second = (await ReviewAsync(client, action, "The balance is 1,200 EUR.")).GetProperty("release");
        var token = first.GetProperty("provenance").GetString()!;
        var text = first.GetProperty("text").GetString()!;

        var valid = await VerifyAsync(token, text: text);
        var byDigest = await VerifyAsync(token, digest: first.GetProperty("digest").GetString());
        var tamperedText = await VerifyAsync(token, text: text + " ");
        var otherOutput = await VerifyAsync(second.GetProperty("provenance").GetString()!, text: text);
        var tamperedToken = await VerifyAsync(WithClaim(token, "\"tool\":\"crm.read\"", "\"tool\":\"crm.send\""), text: text);
        var unknownKey = await VerifyAsync(SignedElsewhere(token), text: text);
        var notAToken = await VerifyAsync("not.a-token", text: text);

        (valid.GetProperty("valid").GetBoolean(), valid.GetProperty("reason").GetString()).ShouldBe((true, "valid"));
        valid.GetProperty("claims").GetProperty("decisionId").GetString().ShouldBe(action);
        byDigest.GetProperty("reason").GetString().ShouldBe("valid");
        tamperedText.GetProperty("reason").GetString().ShouldBe("digest_mismatch");
        otherOutput.GetProperty("reason").GetString().ShouldBe("digest_mismatch");
        tamperedToken.GetProperty("reason").GetString().ShouldBe("bad_signature");
        unknownKey.GetProperty("reason").GetString().ShouldBe("unknown_key");
        notAToken.GetProperty("reason").GetString().ShouldBe("malformed");
        new[] { tamperedText, otherOutput, tamperedToken, unknownKey, notAToken }.ShouldAllBe(r => !r.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task BadInput_IsRefusedWithAProblem()
    {
        var (client, action) = await AllowedActionAsync();
        using var anonymous = Client(app, null);

        using var badDestination = await client.PostAsJsonAsync($"/api/v1/decisions/{action}/output", new { output = "x", destination = "not a place" }, AgentApiClient.Json, Cancel);
        using var neither = await anonymous.PostAsJsonAsync(ProvenanceEndpoints.VerifyPath, new { provenance = "a.b.c" }, AgentApiClient.Json, Cancel);
        using var shortDigest = await anonymous.PostAsJsonAsync(ProvenanceEndpoints.VerifyPath, new { provenance = "a.b.c", digest = "abc" }, AgentApiClient.Json, Cancel);

        badDestination.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await JsonOf(badDestination)).GetProperty("detail").GetString()!.ShouldContain("destination");
        neither.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        shortDigest.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    internal static void AssertClean(string? text)
    {
        text.ShouldNotBeNull();
        text.ShouldNotContain(Email);
        text.ShouldNotContain("4111 1111");
        text.ShouldNotContain("DE89 3704");
    }

    private static void AssertClean(DecisionRecord decision)
    {
        AssertClean(decision.Parameters);
        decision.Parameters!.ShouldContain("[email:");
    }

    internal static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static Dictionary<string, int> Masked(JsonElement release) =>
        release.GetProperty("masked").EnumerateArray().ToDictionary(m => m.GetProperty("kind").GetString()!, m => m.GetProperty("count").GetInt32());

    /// <summary>The token with one claim's text replaced and the signature left as it was.</summary>
    private static string WithClaim(string token, string from, string to)
    {
        var parts = token.Split('.');
        var claims = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
        claims.ShouldContain(from);
        return $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.Replace(from, to, StringComparison.Ordinal)))}.{parts[2]}";
    }

    /// <summary>The same claims signed by a key this Warden does not have.</summary>
    private static string SignedElsewhere(string token)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var header = Base64Url.EncodeToString("""{"alg":"ES256","kid":"another-warden","typ":"warden-provenance+jwt"}"""u8);
        var input = $"{header}.{token.Split('.')[1]}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{input}.{Base64Url.EncodeToString(signature)}";
    }

    private async Task<(HttpClient Client, string Action)> AllowedActionAsync(AgentDraft? draft = null)
    {
        var agent = await RegisterAsync(app, draft);
        var client = Client(app, agent.Token);
        using var response = await DecideAsync(client, Body());
        var answer = await JsonOf(response);
        answer.GetProperty("outcome").GetString().ShouldBe("allow");
        return (client, answer.GetProperty("id").GetString()!);
    }

    private static async Task<JsonElement> ReviewAsync(HttpClient client, string action, object output, string? destination = null)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/decisions/{action}/output", new { output, destination }, AgentApiClient.Json, Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        return await JsonOf(response);
    }

    private async Task<JsonElement> VerifyAsync(string provenance, string? text = null, string? digest = null)
    {
        using var anonymous = Client(app, null);
        using var response = await anonymous.PostAsJsonAsync(ProvenanceEndpoints.VerifyPath, new { provenance, text, digest }, AgentApiClient.Json, Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        return await JsonOf(response);
    }

    private async Task<(DecisionRecord Decision, List<Warden.Domain.Audit.AuditEvent> Events)> StoredAsync(string reviewId)
    {
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        var decision = await db.Decisions.AsNoTracking().SingleAsync(d => d.Id == reviewId, Cancel);
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.Subject == reviewId).ToListAsync(Cancel);
        return (decision, events);
    }
}
