using Warden.Features.Evidence.Rendering;

namespace Warden.Features.Evidence;

internal static class EvidenceCover
{
    public static void Write(IEvidenceDocument doc, EvidencePackSpec spec, string scopeLabel, EvidenceManifestChain chain,
        EvidenceManifestKey key, EvidenceCompleteness completeness)
    {
        doc.Title(spec.Title, $"{scopeLabel} · {EvidenceText.Time(spec.PeriodStart)} to {EvidenceText.Time(spec.PeriodEnd)}");
        doc.Facts([
            new("Pack id", spec.PackId),
            new("Scope", scopeLabel),
            new("Period", $"from {EvidenceText.Time(spec.PeriodStart)} up to (not including) {EvidenceText.Time(spec.PeriodEnd)}"),
            new("Generated at", EvidenceText.Time(spec.GeneratedAt)),
            new("Audit events", $"{EvidenceText.Number(chain.EventsInPeriod)} in the period, {EvidenceText.Number(chain.EventsInScope)} in scope"),
            new("Chain range", chain.LastSequence == 0 ? "no events in the period" : $"sequences {chain.FirstSequence} to {chain.LastSequence}"),
            new("Chain head hash", chain.LastSequence == 0 ? "—" : chain.HeadHash),
            new("Chain verification", chain.Verified ? "verified" : "BROKEN: " + chain.Verification),
            new("Signing key", $"{key.Algorithm}, fingerprint {key.Fingerprint}"),
            new("Audit readiness (controls covered)", $"{completeness.Score} %"),
            new("Recipients", string.Join(", ", spec.RecipientRoles)),
        ]);
        doc.Paragraph("How to verify: the manifest.json beside this PDF lists the SHA-256 of this file, of the audit-event export and of every appendix volume, " +
                      "and manifest.sig signs it with the key above. Run `evidence verify <folder>` or use the verification on the " +
                      "Evidence page. A copy of the manifest (without this file's own hash) is attached to this PDF.");
        doc.Paragraph("Audit readiness, from the compliance checks of section 10 on this pack's records: " + completeness.Notes);
        doc.Paragraph("Contents: " + string.Join("; ", EvidenceSections.Titles) + ".");
    }
}
