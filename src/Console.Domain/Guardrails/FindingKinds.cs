namespace Warden.Domain.Guardrails;

/// <summary>The kinds a scanner reports; the family prefix (<c>pii.</c>, <c>secret.</c>, <c>injection.</c>) is what a policy usually matches.</summary>
public static class FindingKinds
{
    public const string Email = "pii.email";
    public const string Phone = "pii.phone";
    public const string Card = "pii.card";
    public const string Iban = "pii.iban";
    public const string Ssn = "pii.ssn";
    public const string IpAddress = "pii.ip";
    public const string CustomPiiPrefix = "pii.custom:";
    /// <summary>Personal data in a request that also names a destination outside the agent's scopes.</summary>
    public const string Outbound = "pii.outbound";

    /// <summary>A medical record number, written with its label (<c>MRN: 00123456</c>) or in a field named like one.</summary>
    public const string MedicalRecordNumber = "phi.mrn";
    /// <summary>A US National Provider Identifier: ten digits that pass its check digit, next to "NPI" or in a field named like one.</summary>
    public const string ProviderId = "phi.npi";
    /// <summary>A DEA registration number (two letters, seven digits with their check digit).</summary>
    public const string DeaNumber = "phi.dea";
    /// <summary>A health plan member or beneficiary number written with its label.</summary>
    public const string HealthPlanId = "phi.health_plan";

    public const string PrivateKey = "secret.private_key";
    public const string CloudKey = "secret.cloud_key";
    public const string Bearer = "secret.bearer";
    public const string Jwt = "secret.jwt";
    public const string ConnectionString = "secret.connection_string";
    public const string HighEntropy = "secret.high_entropy";
    /// <summary>A secret-looking name followed by a random-looking value inside free text (<c>password=…</c>, <c>the api_key is …</c>).</summary>
    public const string KeyValue = "secret.key_value";

    public const string Override = "injection.override";
    public const string Roleplay = "injection.roleplay";
    public const string HiddenText = "injection.hidden_text";
    public const string Encoded = "injection.encoded";
    public const string Exfiltration = "injection.exfiltration";
    /// <summary>Words that set instructions aside, switch the model's persona or address it with authority, found near each other whatever the wording.</summary>
    public const string Structural = "injection.structural";

    /// <summary>SQL that drops a table, database or schema, or empties a table (<c>TRUNCATE</c>, <c>DELETE FROM</c> with no <c>WHERE</c>).</summary>
    public const string DestructiveSql = "destructive.sql";
    /// <summary>A shell command that wipes the root, home or a system folder, formats or overwrites a disk, a fork bomb, or a forced push to main.</summary>
    public const string DestructiveShell = "destructive.shell";

    /// <summary>More input than the scanner reads: what was not read was not checked, so a policy should fail closed.</summary>
    public const string InputTruncated = "guardrail.input_truncated";
    /// <summary>A pattern ran out of time on a value; the value is unchecked.</summary>
    public const string ScanTimeout = "guardrail.scan_timeout";
    /// <summary>A scanner failed on a value; the value is unchecked.</summary>
    public const string ScannerFailed = "guardrail.scanner_failed";
    /// <summary>An external detector that fails closed did not answer in time or answered badly; the request is unchecked by it.</summary>
    public const string DetectorUnavailable = "guardrail.detector_unavailable";

    public const string PiiFamily = "pii";
    /// <summary>Protected health information: identifiers that tie a record to a patient or a prescriber.</summary>
    public const string PhiFamily = "phi";
    public const string SecretFamily = "secret";
    public const string InjectionFamily = "injection";
    /// <summary>Commands that destroy data in one stroke (dropped tables, wiped disks).</summary>
    public const string DestructiveFamily = "destructive";
    public const string GuardrailFamily = "guardrail";

    public static string Family(string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var dot = kind.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? kind : kind[..dot];
    }

    /// <summary>Whether a family is data about a person that masking hides: personal data and health information.</summary>
    public static bool IsPersonal(string family) => family is PiiFamily or PhiFamily;

    public static string CustomPii(string name) => CustomPiiPrefix + name;
}
