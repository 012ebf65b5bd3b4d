namespace Warden.Features.Decisions.Provenance;

/// <summary>Signs the provenance of a released output (the grant key today; a hardware or cloud key service could take its place).</summary>
public interface IProvenanceSigner
{
    /// <summary>The compact JWS over <paramref name="claims"/>; throws when it cannot sign, and the output is then withheld.</summary>
    string Sign(ReleaseClaims claims);
}
