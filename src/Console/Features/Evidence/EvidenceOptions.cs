using System.ComponentModel.DataAnnotations;

namespace Warden.Features.Evidence;

public sealed class EvidenceOptions
{
    public const string SectionName = "Evidence";

    /// <summary>A PEM file with the ECDSA P-256 private key that signs manifests; empty means generated once into the data folder.</summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>Folders searched for the DejaVu fonts; empty means the usual system font folders.</summary>
    public string[] FontFolders { get; set; } = [];

    /// <summary>Rows read from the database per round trip while a pack is assembled.</summary>
    [Range(10, 100_000)]
    public int BatchSize { get; set; } = 5000;

    /// <summary>
    /// Audit events per appendix volume. Each volume is a PDF of its own, saved and released before the
    /// next is started, so a pack's memory does not grow with its number of events (ADR 0023).
    /// </summary>
    [Range(10, 200_000)]
    public int AppendixEventsPerVolume { get; set; } = 25_000;
}
