namespace Warden.Client;

public enum GrantFailure
{
    /// <summary>Not a compact JWS, or its header or claims cannot be read.</summary>
    Malformed,

    /// <summary>Signed with an algorithm other than ES256 or RS256, or typed other than <c>warden-grant+jwt</c>.</summary>
    WrongType,

    /// <summary>No key in Warden's key set has the grant's <c>kid</c>.</summary>
    UnknownKey,

    /// <summary>The signature does not verify: forged or tampered.</summary>
    BadSignature,

    WrongAudience,

    WrongIssuer,

    Expired,

    NotYetValid,

    /// <summary>The grant is for another call: the digest, tool, operation or resource differs.</summary>
    WrongCall,
}

/// <summary>What a grant says once its signature is verified.</summary>
public sealed record WardenGrantClaims(
    string DecisionId,
    string AgentId,
    string Tool,
    string Operation,
    string Resource,
    string Digest,
    string? Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset ExpiresAt);

/// <summary>The result of checking a grant offline: valid for this call, or why not.</summary>
public sealed record GrantVerification(GrantFailure? Failure, string Detail, WardenGrantClaims? Claims)
{
    public bool IsValid => Failure is null;

    internal static GrantVerification Valid(WardenGrantClaims claims) => new(null, "valid", claims);

    internal static GrantVerification Refused(GrantFailure failure, string detail, WardenGrantClaims? claims = null) => new(failure, detail, claims);
}

/// <summary>Warden's receipt for a redeemed grant.</summary>
public sealed record GrantRedemption(string DecisionId, string AgentId, string Tool, string Operation, string Resource, DateTimeOffset RedeemedAt);
