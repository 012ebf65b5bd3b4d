using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Warden.Client.Tests.Support;

namespace Warden.Client.Tests.Provenance;

/// <summary>
/// A released output against the real console: the agent gets it masked with its provenance, and a
/// recipient checks that provenance offline with the public keys (and online), refusing every tamper.
/// </summary>
public sealed class ProvenanceVerifierTests(WardenHost host)
{
    private const string Email = "olivia.hart@example.com";
    private const string Card = "4111 1111 1111 1111";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<WardenRelease> ReleasedAsync(WardenClient agent, string output)
    {
        var decision = await agent.AskAsync(WardenAsk.For("tickets.read", "read", $"helpdesk/tickets/{Random.Shared.Next(100_000, 999_999)}"), cancellationToken: Cancel);
        decision.IsAllowed.ShouldBeTrue(decision.Explain());
        var review = await agent.ReviewOutputAsync(decision.Id, output, Cancel);
        review.IsAllowed.ShouldBeTrue(review.Explain());
        return review.Release.ShouldNotBeNull();
    }

    private async Task<GrantKeySet> KeysAsync()
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        return GrantKeySet.Parse(await http.GetStringAsync(new Uri(GrantVerifier.KeysPath, UriKind.Relative), Cancel));
    }

    [Fact]
    public async Task ReviewOutputAsync_PersonalData_IsReleasedMaskedWithKindsAndCountsOnly()
    {
        using var agent = host.ClientFor();

        var release = await ReleasedAsync(agent, $"Reply to {Email}; the card on file is {Card}.");

        release.Text.ShouldNotContain(Email);
        release.Text.ShouldNotContain(Card);
        release.WasMasked.ShouldBeTrue();
        release.Masked.ShouldBe([new WardenMaskedKind("pii.card", 1), new WardenMaskedKind("pii.email", 1)], ignoreOrder: true);
        release.Output.GetString().ShouldBe(release.Text);
        release.Digest.ShouldBe(ProvenanceVerifier.DigestOf(release.Text));
    }

    [Fact]
    public async Task Verify_Offline_AcceptsTheReleasedTextAndRefusesEachTamper()
    {
        using var agent = host.ClientFor();
        var release = await ReleasedAsync(agent, $"Reply to {Email}.");
        var other = await ReleasedAsync(agent, "Nothing personal here.");
        var keys = await KeysAsync();

        var valid = ProvenanceVerifier.Verify(release.Provenance, release.Text, keys);
        var byDigest = ProvenanceVerifier.VerifyDigest(release.Provenance, release.Digest, keys);
        var tamperedText = ProvenanceVerifier.Verify(release.Provenance, release.Text.Replace("Reply", "Write", StringComparison.Ordinal), keys);
        var otherOutput = ProvenanceVerifier.Verify(other.Provenance, release.Text, keys);
        var tamperedToken = ProvenanceVerifier.Verify(Tampered(release.Provenance), release.Text, keys);
        var unknownKey = ProvenanceVerifier.Verify(SignedElsewhere(release.Provenance), release.Text, keys);
        var wrongIssuer = ProvenanceVerifier.Verify(release.Provenance, release.Text, keys, expectedIssuer: "https://another-warden.example/");

        valid.IsValid.ShouldBeTrue(valid.Detail);
        valid.Claims!.AgentId.ShouldBe(WardenHost.Support);
        valid.Claims.Tool.ShouldBe("tickets.read");
        valid.Claims.Masked.ShouldBe([new WardenMaskedKind("pii.email", 1)]);
        byDigest.IsValid.ShouldBeTrue(byDigest.Detail);
        tamperedText.Failure.ShouldBe(ProvenanceFailure.DigestMismatch);
        otherOutput.Failure.ShouldBe(ProvenanceFailure.DigestMismatch);
        tamperedToken.Failure.ShouldBe(ProvenanceFailure.BadSignature);
        unknownKey.Failure.ShouldBe(ProvenanceFailure.UnknownKey);
        wrongIssuer.Failure.ShouldBe(ProvenanceFailure.WrongIssuer);
    }

    [Fact]
    public async Task Verify_AGrantInsteadOfAProvenance_IsRefusedAsTheWrongType()
    {
        using var agent = host.ClientFor();
        var decision = await agent.AskAsync(WardenAsk.For("tickets.read", "read", $"helpdesk/tickets/{Random.Shared.Next(100_000, 999_999)}"), cancellationToken: Cancel);

        var verification = ProvenanceVerifier.Verify(decision.Grant!.Token, "anything", await KeysAsync());

        verification.Failure.ShouldBe(ProvenanceFailure.WrongType);
    }

    [Fact]
    public async Task VerifyProvenanceAsync_Online_AgreesWithTheOfflineCheck()
    {
        using var agent = host.ClientFor();
        var release = await ReleasedAsync(agent, $"Reply to {Email}.");

        var valid = await agent.VerifyProvenanceAsync(release.Provenance, release.Text, Cancel);
        var tampered = await agent.VerifyProvenanceAsync(release.Provenance, release.Text + ".", Cancel);

        (valid.Valid, valid.Reason).ShouldBe((true, "valid"));
        (tampered.Valid, tampered.Reason).ShouldBe((false, "digest_mismatch"));
    }

    private static string Tampered(string token)
    {
        var parts = token.Split('.');
        var claims = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("tickets.read", "tickets.send", StringComparison.Ordinal);
        return $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims))}.{parts[2]}";
    }

    private static string SignedElsewhere(string token)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var input = $"{Base64Url.EncodeToString("""{"alg":"ES256","kid":"another-warden","typ":"warden-provenance+jwt"}"""u8)}.{token.Split('.')[1]}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{input}.{Base64Url.EncodeToString(signature)}";
    }
}
