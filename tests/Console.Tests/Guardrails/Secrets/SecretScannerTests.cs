using System.Text;
using Warden.Domain.Guardrails;
using Warden.Domain.Guardrails.Secrets;

namespace Warden.Tests.Guardrails.Secrets;

public sealed class SecretScannerTests
{
    private const string Jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZ3RfMDEifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ";

    [Theory]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY----- b3Bl -----END OPENSSH PRIVATE KEY-----")]
    [InlineData("-----BEGIN PGP PRIVATE KEY BLOCK-----")]
    public void PrivateKey_PemBlocks_AreFound(string text)
    {
        Scans.Kinds(new PrivateKeyScanner(), text).ShouldBe([FindingKinds.PrivateKey]);
    }

    [Theory]
    [InlineData("-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----")]
    [InlineData("-----BEGIN CERTIFICATE-----\nMIID\n-----END CERTIFICATE-----")]
    public void PrivateKey_PublicKeysAndCertificates_AreNotSecrets(string text)
    {
        Scans.Run(new PrivateKeyScanner(), text).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("AKIAIOSFODNN7EXAMPLE")]
    [InlineData("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    [InlineData("AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY")]
    [InlineData("AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==")]
    [InlineData("ghp_16C7e42F292c6912E7710c838347Ae178B4a")]
    [InlineData("xoxb-2048123456-4096123456789-AbCdEfGhIjKlMnOp")]
    [InlineData("sk_live_51H8abcDEFghiJKLmnoPQRstu0123456789")]
    [InlineData("npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8")]
    public void CloudKey_ProviderShapes_AreFound(string key)
    {
        var finding = Scans.Run(new CloudKeyScanner(), $"key: {key} ").ShouldHaveSingleItem();

        finding.Kind.ShouldBe(FindingKinds.CloudKey);
        finding.Excerpt.ShouldNotContain(key);
    }

    [Theory]
    [InlineData("sk_test_51H8abcDEFghiJKLmnoPQRstu0123456789")]
    [InlineData("arn:aws:iam::123456789012:role/WardenReader")]
    [InlineData("AKIAIOSFODNN7EXAMPLEXX")]
    public void CloudKey_TestKeysArnsAndLongerRuns_AreNotKeys(string text)
    {
        Scans.Run(new CloudKeyScanner(), text).ShouldBeEmpty();
    }

    [Fact]
    public void CloudKey_GcpServiceAccountPrivateKeyField_IsFound()
    {
        Scans.Kinds(new CloudKeyScanner(), "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----", field: "private_key")
             .ShouldBe([FindingKinds.CloudKey]);
    }

    [Fact]
    public void Bearer_TokenAndBasicCredentials_AreFound()
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("svc:S3cure!Passw0rd"));

        Scans.Kinds(new BearerTokenScanner(), "Authorization: Bearer 7f3c2a9d81b64e0f9a2c5d7e1b3f4a6c").ShouldBe([FindingKinds.Bearer]);
        Scans.Kinds(new BearerTokenScanner(), "Authorization: Basic " + basic).ShouldBe([FindingKinds.Bearer]);
    }

    [Theory]
    [InlineData("The bearer of this letter is authorised to collect it.")]
    [InlineData("Send the header as Bearer <token>, see RFC 6750.")]
    [InlineData("Set the header to Bearer YOUR_TOKEN_HERE before calling.")]
    public void Bearer_ProseAndPlaceholders_AreNotTokens(string text)
    {
        Scans.Run(new BearerTokenScanner(), text).ShouldBeEmpty();
    }

    [Fact]
    public void Jwt_HeaderDecodingToJsonWithAlg_IsAJwt()
    {
        var finding = Scans.Run(new JwtScanner(), "token=" + Jwt).ShouldHaveSingleItem();

        finding.Excerpt.ShouldStartWith("JWT alg=HS256");
    }

    [Theory]
    [InlineData("eyJustAnIdentifier.notAToken.really")]
    [InlineData("eyJzdWIiOiJhZ3RfMDEifQ.eyJzdWIiOiJhZ3RfMDEifQ.sig")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9")]
    public void Jwt_WithoutAnAlgHeaderOrThreeSegments_IsNotAJwt(string text)
    {
        Scans.Run(new JwtScanner(), text).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("Server=db;Database=orders;User ID=app;Password=Wint3r!sComing;")]
    [InlineData("Host=pg;Username=warden;Password='p4ss word'")]
    [InlineData("postgres://warden:Sup3rS3cret@pg.internal:5432/warden")]
    [InlineData("https://intranet.example.org/login?user=ops&password=Hunter2Hunter2")]
    public void ConnectionString_WithAPassword_IsFound(string text)
    {
        Scans.Kinds(new ConnectionStringScanner(), text).ShouldBe([FindingKinds.ConnectionString]);
    }

    [Theory]
    [InlineData("Server=db;Database=orders;User ID=app;Password=${DB_PASSWORD}")]
    [InlineData("Host=pg;Username=warden;Password=<your password>")]
    [InlineData("Server=db;Database=orders;Password=********")]
    [InlineData("Server=db.internal;Database=orders;Integrated Security=true")]
    [InlineData("Password=hunter2 (no connection string around it)")]
    public void ConnectionString_PlaceholdersOrNoPassword_AreNotSecrets(string text)
    {
        Scans.Run(new ConnectionStringScanner(), text).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("password", "kT9#vQ2!mZ7@pL4x")]
    [InlineData("client_secret", "Q2hhbmdlTWUtUGxlYXNlLTk4NzY1NDMyMQ")]
    [InlineData("x-api-key", "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("refreshToken", "1//0gLx9-Vb3Kq_7ZtYp2WmNcR8sFhJdE4uA")]
    public void HighEntropy_RandomValuesInSecretFields_AreFound(string field, string value)
    {
        Scans.Kinds(new HighEntropyScanner(), value, field).ShouldBe([FindingKinds.HighEntropy]);
    }

    [Theory]
    [InlineData("password_hint", "kT9#vQ2!mZ7@pL4x")]
    [InlineData("sort_key", "kT9#vQ2!mZ7@pL4x")]
    [InlineData("password", "name of my first cat")]
    [InlineData("password", "********")]
    [InlineData("api_key", "aaaaaaaaaaaaaaaaaaaa")]
    [InlineData("note", "kT9#vQ2!mZ7@pL4x")]
    public void HighEntropy_OtherFieldsProsePlaceholdersAndRepeats_AreNotSecrets(string field, string value)
    {
        Scans.Run(new HighEntropyScanner(), value, field).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("", 0.0)]
    [InlineData("aaaa", 0.0)]
    [InlineData("abab", 1.0)]
    [InlineData("abcd", 2.0)]
    public void Entropy_BitsPerChar_IsShannonEntropy(string value, double expected)
    {
        Entropy.BitsPerChar(value).ShouldBe(expected, 1e-9);
    }
}
