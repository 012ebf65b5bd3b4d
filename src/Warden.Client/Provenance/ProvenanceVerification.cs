namespace Warden.Client;

public enum ProvenanceFailure
{
    /// <summary>Not a compact JWS, or its header or claims cannot be read.</summary>
    Malformed,

    /// <summary>Not typed <c>warden-provenance+jwt</c> for <c>warden-recipients</c>, or an algorithm other than the key's.</summary>
    WrongType,

    /// <summary>No key in Warden's key set has the token's <c>kid</c>.</summary>
    UnknownKey,

    /// <summary>The signature does not verify: forged or tampered.</summary>
    BadSignature,

    /// <summary>Issued by another Warden than the one expected.</summary>
    WrongIssuer,

    /// <summary>A genuine token, but for another output: the text differs from what was released with it.</summary>
    DigestMismatch,
}

/// <summary>What a provenance token says once its signature is verified.</summary>
public sealed record WardenProvenanceClaims(
    string ReviewId,
    string DecisionId,
    string AgentId,
    string Tool,
    string Digest,
    string Issuer,
    DateTimeOffset ReleasedAt,
    IReadOnlyList<WardenMaskedKind> Masked);

/// <summary>The result of checking a released output's provenance offline: valid for this text, or why not.</summary>
public sealed record ProvenanceVerification(ProvenanceFailure? Failure, string Detail, WardenProvenanceClaims? Claims)
{
    public bool IsValid => Failure is null;

    internal static ProvenanceVerification Refused(ProvenanceFailure failure, string detail, WardenProvenanceClaims? claims = null) => new(failure, detail, claims);
}

/// <summary>Warden's own answer to <c>POST api/v1/outputs/verify</c>; <see cref="Reason"/> is a stable code (valid, digest_mismatch, not_on_record...).</summary>
public sealed record WardenProvenanceCheck(bool Valid, string Reason, string Detail, WardenProvenanceClaims? Claims);
