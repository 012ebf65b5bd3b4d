using PdfSharp.Fonts;
using Warden.Infrastructure.Hosting;

namespace Warden.Features.Evidence.Rendering;

/// <summary>
/// Gives PDFsharp the DejaVu font programs from the system font folders. Each face is read once and
/// kept, so every document embeds the same bytes. Without the files PDFsharp fails deep inside with a
/// NullReferenceException, so a missing face stops start-up with one line naming the package.
/// </summary>
public sealed class EvidenceFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    public const string MonoFamily = "DejaVu Sans Mono";

    public static readonly IReadOnlyList<string> SystemFolders =
        ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts"];

    private static readonly string[] Faces = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf"];
    private static readonly Lock Install = new();

    private readonly Dictionary<string, byte[]> _faces;

    public EvidenceFonts(IEnumerable<string> folders)
    {
        var searched = folders.Where(f => !string.IsNullOrEmpty(f)).ToList();
        _faces = Faces.ToDictionary(face => face, face => File.ReadAllBytes(Find(face, searched)), StringComparer.Ordinal);
    }

    /// <summary>Installs one resolver for the process (PDFsharp's font settings are global and set once).</summary>
    public static EvidenceFonts InstallFrom(IEnumerable<string> folders)
    {
        lock (Install)
        {
            if (GlobalFontSettings.FontResolver is EvidenceFonts installed)
                return installed;
            var fonts = new EvidenceFonts(folders);
            GlobalFontSettings.FontResolver = fonts;
            return fonts;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        string.Equals(familyName, MonoFamily, StringComparison.OrdinalIgnoreCase)
            ? new FontResolverInfo("DejaVuSansMono.ttf")
            : new FontResolverInfo(bold ? "DejaVuSans-Bold.ttf" : "DejaVuSans.ttf");

    public byte[]? GetFont(string faceName) => _faces.GetValueOrDefault(faceName);

    private static string Find(string face, List<string> folders)
    {
        foreach (var folder in folders.Where(Directory.Exists))
        {
            var direct = Path.Combine(folder, face);
            if (File.Exists(direct))
                return direct;
            var nested = Directory.EnumerateFiles(folder, face, new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MaxRecursionDepth = 4 })
                .FirstOrDefault();
            if (nested is not null)
                return nested;
        }
        throw new StartupException(
            $"the font {face} is missing, and evidence packs cannot be rendered without it: install the package fonts-dejavu-core (looked in {string.Join(", ", folders)}).");
    }
}
