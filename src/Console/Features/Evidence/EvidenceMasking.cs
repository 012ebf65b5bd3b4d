using Warden.Domain.Audit;

namespace Warden.Features.Evidence;

/// <summary>
/// The one place packs mask the text they print or export from records (actor names, subjects,
/// reasons, owners), so the masking rule is swapped here and nowhere else.
/// </summary>
public sealed class EvidenceMasking
{
    public string Text(string? text) => PiiMasker.MaskText(text);
}
