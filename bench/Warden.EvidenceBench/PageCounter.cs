using System.Text;

namespace Warden.EvidenceBench;

/// <summary>Counts "/Type /Page" objects (not "/Pages") in a PDFsharp file, without a PDF reader.</summary>
internal static class PageCounter
{
    public static int Count(Stream pdf)
    {
        using var buffer = new MemoryStream();
        pdf.CopyTo(buffer);
        var text = Encoding.Latin1.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        var count = 0;
        for (var at = text.IndexOf("/Type/Page", StringComparison.Ordinal); at >= 0; at = text.IndexOf("/Type/Page", at + 10, StringComparison.Ordinal))
        {
            if (at + 10 >= text.Length || text[at + 10] != 's')
                count++;
        }
        return count;
    }
}
