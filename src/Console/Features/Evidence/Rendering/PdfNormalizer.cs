using System.Security.Cryptography;
using System.Text;

namespace Warden.Features.Evidence.Rendering;

/// <summary>
/// PDFsharp names font subsets and the XMP document ids at random, and dates attached files with the
/// time of saving, so two renderings of the same pack would differ in a few bytes. This replaces each with a value derived from the pack id, of the
/// same length, so the cross-reference offsets stay valid and the same pack gives the same bytes.
/// Only the plain-text dictionary entries are touched; content streams are never rewritten.
/// </summary>
internal static class PdfNormalizer
{
    private static readonly byte[][] FontMarkers = [Encoding.ASCII.GetBytes("/FontName/"), Encoding.ASCII.GetBytes("/BaseFont/")];
    private static readonly byte[][] DateMarkers = [Encoding.ASCII.GetBytes("/CreationDate(D:"), Encoding.ASCII.GetBytes("/ModDate(D:")];
    private static readonly byte[][] UuidMarkers = [Encoding.ASCII.GetBytes("<xmpMM:DocumentID>uuid:"), Encoding.ASCII.GetBytes("<xmpMM:InstanceID>uuid:")];

    private const int Chunk = 1 << 20;
    private const int Overlap = 64;
    private const int DateKind = -2;

    /// <summary>Rewrites the random values in place in a seekable, readable and writable PDF stream, reading it in 1 MB chunks.</summary>
    public static void Normalize(Stream pdf, string seed, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        var date = createdAt.UtcDateTime.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var found = Find(pdf);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (at, kind, value) in found)
        {
            string replacement;
            if (kind == DateKind)
            {
                replacement = date;
            }
            else if (kind < 0)
            {
                if (!tags.TryGetValue(value, out var tag))
                    tags[value] = tag = Tag(seed, tags.Count);
                replacement = tag;
            }
            else
            {
                replacement = Uuid(seed, kind);
            }
            pdf.Position = at;
            pdf.Write(Encoding.ASCII.GetBytes(replacement));
        }
        pdf.Position = pdf.Length;
    }

    /// <summary>Each value to fix: where it starts, -1 for a font tag, -2 for a date, or the XMP marker's index, and the value found.</summary>
    private static List<(long At, int Kind, string Value)> Find(Stream pdf)
    {
        var found = new List<(long, int, string)>();
        var buffer = new byte[Chunk + Overlap];
        for (long offset = 0; offset < pdf.Length; offset += Chunk)
        {
            pdf.Position = offset;
            var length = pdf.ReadAtLeast(buffer, (int)Math.Min(buffer.Length, pdf.Length - offset), throwOnEndOfStream: false);
            var data = buffer.AsSpan(0, length);
            foreach (var marker in FontMarkers)
            {
                foreach (var at in Occurrences(data, marker, Chunk))
                {
                    if (at + 7 <= length && data[at + 6] == (byte)'+' && IsTag(data.Slice(at, 6)))
                        found.Add((offset + at, -1, Encoding.ASCII.GetString(data.Slice(at, 6))));
                }
            }
            foreach (var marker in DateMarkers)
            {
                // The embedded manifest's file dates are the time of saving; they become the pack's own time.
                foreach (var at in Occurrences(data, marker, Chunk))
                {
                    if (at + 14 <= length && data.Slice(at, 14).IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0)
                        found.Add((offset + at, DateKind, string.Empty));
                }
            }
            for (var i = 0; i < UuidMarkers.Length; i++)
            {
                foreach (var at in Occurrences(data, UuidMarkers[i], Chunk))
                {
                    if (at + 36 <= length)
                        found.Add((offset + at, i, string.Empty));
                }
            }
        }
        return found;
    }

    /// <summary>Where the values after <paramref name="marker"/> start, for markers that begin in the first <paramref name="limit"/> bytes.</summary>
    private static List<int> Occurrences(ReadOnlySpan<byte> data, byte[] marker, int limit)
    {
        var found = new List<int>();
        var from = 0;
        while (from < data.Length)
        {
            var index = data[from..].IndexOf(marker);
            if (index < 0 || from + index >= limit)
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
