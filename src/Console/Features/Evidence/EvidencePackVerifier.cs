using System.Security.Cryptography;

namespace Warden.Features.Evidence;

public sealed record EvidenceVerificationReport(bool Verified, string? PackId, IReadOnlyList<string> Passed, IReadOnlyList<string> Mismatches);

/// <summary>
/// Checks a pack folder: the manifest's signature under the trusted public key, and every artifact's
/// size and SHA-256 against the manifest. Each thing that does not match is named on its own line.
/// </summary>
public static class EvidencePackVerifier
{
    /// <param name="trustedPublicKeyPem">The key to trust; null trusts the public-key.pem inside the folder (and says so).</param>
    public static EvidenceVerificationReport Verify(string directory, string? trustedPublicKeyPem)
    {
        var passed = new List<string>();
        var mismatches = new List<string>();
        var manifestPath = EvidenceFiles.Locate(directory, EvidenceFiles.Manifest);
        if (!File.Exists(manifestPath))
            return new EvidenceVerificationReport(false, null, passed, [$"{EvidenceFiles.Manifest}: missing, so nothing can be checked."]);

        var manifestBytes = File.ReadAllBytes(manifestPath);
        CheckSignature(directory, manifestBytes, trustedPublicKeyPem, passed, mismatches, out var keyFingerprint);
        var manifest = EvidenceManifest.Parse(manifestBytes);
        if (manifest is null)
        {
            mismatches.Add($"{EvidenceFiles.Manifest}: not a readable manifest (its JSON is damaged).");
            return new EvidenceVerificationReport(false, null, passed, mismatches);
        }
        if (keyFingerprint is not null && !string.Equals(keyFingerprint, manifest.SigningKey.Fingerprint, StringComparison.Ordinal))
            mismatches.Add($"{EvidenceFiles.Manifest}: names signing key {manifest.SigningKey.Fingerprint}, but the trusted key is {keyFingerprint}.");

        foreach (var artifact in manifest.Artifacts)
            CheckArtifact(directory, artifact, passed, mismatches);
        return new EvidenceVerificationReport(mismatches.Count == 0, manifest.PackId, passed, mismatches);
    }

    private static void CheckSignature(string directory, byte[] manifest, string? trustedPem, List<string> passed, List<string> mismatches, out string? fingerprint)
    {
        fingerprint = null;
        var signaturePath = EvidenceFiles.Locate(directory, EvidenceFiles.Signature);
        var keyPath = Path.Combine(directory, EvidenceFiles.PublicKey);
        var pem = trustedPem ?? (File.Exists(keyPath) ? File.ReadAllText(keyPath) : null);
        if (pem is null)
        {
            mismatches.Add($"{EvidenceFiles.PublicKey}: missing, and no trusted key was given, so the signature cannot be checked.");
            return;
        }
        if (!File.Exists(signaturePath))
        {
            mismatches.Add($"{EvidenceFiles.Signature}: missing, so the manifest is unsigned.");
            return;
        }
        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (ArgumentException)
        {
            mismatches.Add($"{(trustedPem is null ? EvidenceFiles.PublicKey : "the trusted key")}: not a readable ECDSA public key.");
            return;
        }
        fingerprint = EvidenceSigningKey.FingerprintOf(key.ExportSubjectPublicKeyInfo());
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(File.ReadAllText(signaturePath).Trim());
        }
        catch (FormatException)
        {
            mismatches.Add($"{EvidenceFiles.Signature}: not a readable signature (not base64).");
            return;
        }
        if (key.VerifyData(manifest, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
            passed.Add($"{EvidenceFiles.Manifest}: signature verifies under key {fingerprint}{(trustedPem is null ? " (the key shipped with the pack)" : string.Empty)}.");
        else
            mismatches.Add($"{EvidenceFiles.Signature}: the signature does not match {EvidenceFiles.Manifest} under key {fingerprint}: the manifest or its signature was altered.");
    }

    private static void CheckArtifact(string directory, EvidenceManifestArtifact artifact, List<string> passed, List<string> mismatches)
    {
        var path = EvidenceFiles.Locate(directory, Path.GetFileName(artifact.Name));
        if (!File.Exists(path))
        {
            mismatches.Add($"{artifact.Name}: missing.");
            return;
        }
        using var stream = File.OpenRead(path);
        var sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (!string.Equals(sha, artifact.Sha256, StringComparison.Ordinal))
            mismatches.Add($"{artifact.Name}: SHA-256 is {sha}, but the manifest says {artifact.Sha256}.");
        else if (stream.Length != artifact.Bytes)
            mismatches.Add($"{artifact.Name}: {stream.Length} bytes, but the manifest says {artifact.Bytes}.");
        else
            passed.Add($"{artifact.Name}: SHA-256 {sha} matches the manifest.");
    }
}
