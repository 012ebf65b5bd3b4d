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
        CheckVolumes(directory, manifest, passed, mismatches);
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

    /// <summary>
    /// The appendix is whole: the volumes are numbered 1 to n in sequence order, together list every event
    /// in scope, and no volume lies in the folder that the manifest does not list.
    /// </summary>
    private static void CheckVolumes(string directory, EvidenceManifest manifest, List<string> passed, List<string> mismatches)
    {
        var listed = manifest.Volumes;
        foreach (var file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            if (EvidenceFiles.VolumeNumber(file) is { } number && !listed.Any(v => v.Appendix!.Number == number))
                mismatches.Add($"{Path.GetFileName(file)}: an appendix volume the manifest does not list (the pack has {listed.Count}).");
        }
        if (manifest.Format == EvidenceManifest.SingleDocumentFormat)
            return;
        var expected = 1;
        long after = 0, events = 0;
        foreach (var volume in listed.Select(v => v.Appendix!))
        {
            if (volume.Number != expected++ || volume.FirstSequence <= after || volume.LastSequence < volume.FirstSequence || volume.Events < 1)
            {
                mismatches.Add($"{EvidenceFiles.Manifest}: appendix volume {volume.Number} is out of order or lists no events.");
                return;
            }
            after = volume.LastSequence;
            events += volume.Events;
        }
        if (events != manifest.Chain.EventsInScope)
            mismatches.Add($"{EvidenceFiles.Manifest}: the appendix volumes list {events} events, but the pack has {manifest.Chain.EventsInScope} in scope.");
        else
            passed.Add($"appendix: {listed.Count} volume{(listed.Count == 1 ? string.Empty : "s")} list all {events} events in scope.");
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
