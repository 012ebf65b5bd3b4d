using System.Security.Cryptography;
using System.Text;

namespace Warden.Features.Evidence.Rendering;

/// <summary>
/// PDFsharp names font subsets and the XMP document ids at random, so two renderings of the same
/// pack would differ in a few bytes. This replaces each with a value derived from the pack id, of the
/// same length, so the cross-reference offsets stay valid and the same pack gives the same bytes.
/// Only the plain-text dictionary entries are touched; content streams are never rewritten.
/// </summary>
internal static class PdfNormalizer
{
    private static readonly byte[][] FontMarkers = [Encoding.ASCII.GetBytes("/FontName/"), Encoding.ASCII.GetBytes("/BaseFont/")];
    private static readonly byte[][] UuidMarkers = [Encoding.ASCII.GetBytes("<xmpMM:DocumentID>uuid:"), Encoding.ASCII.GetBytes("<xmpMM:InstanceID>uuid:")];

    public static void Normalize(byte[] pdf, string seed)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var marker in FontMarkers)
        {
            foreach (var at in Occurrences(pdf, marker))
            {
                if (at + 7 > pdf.Length || pdf[at + 6] != (byte)'+' || !IsTag(pdf.AsSpan(at, 6)))
                    continue;
                var old = Encoding.ASCII.GetString(pdf, at, 6);
                if (!tags.TryGetValue(old, out var tag))
                    tags[old] = tag = Tag(seed, tags.Count);
                Encoding.ASCII.GetBytes(tag).CopyTo(pdf, at);
            }
        }
        for (var i = 0; i < UuidMarkers.Length; i++)
        {
            var uuid = Encoding.ASCII.GetBytes(Uuid(seed, i));
            foreach (var at in Occurrences(pdf, UuidMarkers[i]))
            {
                if (at + uuid.Length <= pdf.Length)
                    uuid.CopyTo(pdf, at);
            }
        }
    }

    private static List<int> Occurrences(byte[] data, byte[] marker)
    {
        var found = new List<int>();
        var from = 0;
        while (from < data.Length)
        {
            var index = data.AsSpan(from).IndexOf(marker);
            if (index < 0)
                break;
            found.Add(from + index + marker.Length);
            from += index + marker.Length;
        }
        return found;
    }

    private static bool IsTag(ReadOnlySpan<byte> span)
    {
        foreach (var b in span)
        {
            if (b is < (byte)'A' or > (byte)'Z')
                return false;
        }
        return true;
    }

    private static string Tag(string seed, int index)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}|font|{index}"));
        return string.Concat(hash.Take(6).Select(b => (char)('A' + (b % 26))));
    }

    private static string Uuid(string seed, int index) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}|xmp|{index}")).AsSpan(0, 16)).ToString("D");
}
