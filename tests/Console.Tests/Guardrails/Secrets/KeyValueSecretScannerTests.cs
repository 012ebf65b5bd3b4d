using Warden.Domain.Guardrails;
using Warden.Domain.Guardrails.Secrets;

namespace Warden.Tests.Guardrails.Secrets;

/// <summary>Secrets written as a name and a value inside free text, which only JSON field names used to reveal.</summary>
public sealed class KeyValueSecretScannerTests
{
    [Theory]
    [InlineData("Here is the api_key for the staging tenant: Qm7xT2vLp9RkW4sZ8nB3cY6hJ1dF5gA0", "Qm7xT2vLp9RkW4sZ8nB3cY6hJ1dF5gA0")]
    [InlineData("the client_secret is ~Vb8nQ2xL7pR4kT9mW3zC6yH1jD5fG0sA", "~Vb8nQ2xL7pR4kT9mW3zC6yH1jD5fG0sA")]
    [InlineData("I set password=eAny3Tx59cD!Hb in the config", "eAny3Tx59cD!Hb")]
    [InlineData("db password is 'gtq8cJElx%TU', user is app_rw", "gtq8cJElx%TU")]
    [InlineData("The admin password is now fkmRzPHZXC77! - changed it today.", "fkmRzPHZXC77!")]
    [InlineData("export SERVICE_TOKEN=\"h0nLrk8duVMt60EUUtEkPJFuaJktfR-6GC8YM8eI\"", "h0nLrk8duVMt60EUUtEkPJFuaJktfR-6GC8YM8eI")]
    [InlineData("auth token for the build agent -> o1m6i8hn7n7al8ye65y7h4nbvuevceti6tyu", "o1m6i8hn7n7al8ye65y7h4nbvuevceti6tyu")]
    [InlineData("the encryption key is 89ca50e6da3f295165710dcbd2b16a457953fe59875b4f830396c67e25d5ef7a", "89ca50e6da3f295165710dcbd2b16a457953fe59875b4f830396c67e25d5ef7a")]
    [InlineData("PGPASSWORD=smpv1C3HW4ekn1mNGElw psql -h reporting.internal", "smpv1C3HW4ekn1mNGElw")]
    [InlineData("Use api key 2a7bb3624e344e12c993a0a8a4f89499 for the weather service.", "2a7bb3624e344e12c993a0a8a4f89499")]
    [InlineData("Our Mailgun key: key-05659fc779ca757c013679abac36f80a", "key-05659fc779ca757c013679abac36f80a")]
    public void Scan_SecretNameFollowedByARandomValue_IsFoundAndLocatedOnTheValue(string text, string value)
    {
        var finding = Scans.Run(new KeyValueSecretScanner(), text).ShouldHaveSingleItem();

        finding.Kind.ShouldBe(FindingKinds.KeyValue);
        text.Substring(finding.Start, finding.Length).ShouldBe(value);
        finding.Excerpt.ShouldNotContain(value);
    }

    [Theory]
    [InlineData("Configuration: set API_KEY before starting, for example `export API_KEY=<your-key>`.")]
    [InlineData("The client reads its token from the environment: token = os.environ[\"SERVICE_TOKEN\"]")]
    [InlineData("password = os.environ['DB_PASSWORD']")]
    [InlineData("const apiKey = process.env.MAPS_API_KEY ?? fail();")]
    [InlineData("Reference it as client_secret: ${CLIENT_SECRET} in the manifest.")]
    [InlineData("password: changeme  # replace this default")]
    [InlineData("api_key = \"YOUR_API_KEY_HERE\"")]
    [InlineData("token: xxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    [InlineData("In the test suite we use password = \"test-password\" against a throwaway database.")]
    [InlineData("The function returns a token count, not a token: count_tokens(text) -> int.")]
    [InlineData("The key to passing the audit is keeping evidence from every quarter.")]
    [InlineData("Our public key fingerprint is SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8")]
    [InlineData("The object key is uploads/2026/05/a8f5f167f44f4964e6c998dee827110c.pdf")]
    [InlineData("Idempotency-Key: 3f2b8c4e-9a1d-4e6f-b2c7-8d9e0f1a2b3c")]
    [InlineData("Could you reset my password? The password reset link has expired.")]
    [InlineData("Session length is 30 minutes; the cookie is HttpOnly, Secure and SameSite=Lax.")]
    public void Scan_PlaceholdersCodeAndProse_AreNotSecrets(string text)
    {
        Scans.Run(new KeyValueSecretScanner(), text).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("curl -u builder:Rk8vQ2mZt7Lp https://ci.internal/api/json", "Rk8vQ2mZt7Lp")]
    [InlineData("curl --user ops:w7Tq2LmXv9Pz https://metrics.internal", "w7Tq2LmXv9Pz")]
    [InlineData("mysqldump -u backup -pHq7#mT2vL9xk inventory > dump.sql", "Hq7#mT2vL9xk")]
    [InlineData("psql --password=Zt5rW8qLm2Xv -h db.internal", "Zt5rW8qLm2Xv")]
    [InlineData("FLASK_SECRET_KEY=q9)x!2(lm^7z&v0@k#4t+8w_r1(p)", "q9)x!2(lm^7z&v0@k#4t+8w_r1(p)")]
    [InlineData("I pasted the signing key in the chat by mistake: Kq9vT2mXw7Lp4zR8nB3cY6hJ1dF5gA0s", "Kq9vT2mXw7Lp4zR8nB3cY6hJ1dF5gA0s")]
    public void Scan_CommandLineCredentialsAndAssignmentsWithSymbols_AreFound(string text, string value)
    {
        var finding = Scans.Run(new KeyValueSecretScanner(), text).ShouldHaveSingleItem();

        finding.Kind.ShouldBe(FindingKinds.KeyValue);
        text.Substring(finding.Start, finding.Length).ShouldBe(value);
    }

    [Theory]
    [InlineData("mkdir -p /var/lib/app/v2/cache && cd /var/lib/app")]
    [InlineData("docker run -p 127.0.0.1:8080:80 -p 8443:443 nginx:1.27")]
    [InlineData("ssh -p 2222 deploy@bastion.internal")]
    [InlineData("curl -u \"$CI_USER:$CI_PASSWORD\" https://ci.internal/api/json")]
    [InlineData("mysql -u app -p orders   # prompts for the password")]
    [InlineData("SECRET_KEY = os.environ['SECRET_KEY']  # set in the deployment")]
    public void Scan_CommandLinesWithoutCredentials_AreNotSecrets(string text)
    {
        Scans.Run(new KeyValueSecretScanner(), text).ShouldBeEmpty();
    }

    [Fact]
    public void Scan_AConnectionStringPasswordAlreadyFound_IsNotReportedTwice()
    {
        var scanner = GuardrailScanner.Default;

        var findings = scanner.Scan("Server=sql.corp.local;Database=Billing;User Id=app;Password=Xq7!vL2pR9kT4m;");

        findings.ShouldHaveSingleItem().Kind.ShouldBe(FindingKinds.ConnectionString);
    }

    [Fact]
    public void Masker_MasksTheValueAndKeepsTheName()
    {
        var masker = new GuardrailMasker(new byte[32], GuardrailScanner.Default);

        var masked = masker.MaskText("the client_secret is Vb8nQ2xL7pR4kT9mW3zC6yH1jD5fG0sA, rotate it");

        masked.ShouldContain("client_secret");
        masked.ShouldNotContain("Vb8nQ2xL7pR4kT9mW3zC6yH1jD5fG0sA");
    }
}
