using System.Globalization;

namespace Warden.Domain.Guardrails;

/// <summary>
/// Path segments for findings. A property name that could itself be personal data (anything but
/// letters, digits, '_', '-' and '$', or with a run of four digits) is not written into the path:
/// its segment is <c>[#n]</c>, the n-th property of its object.
/// </summary>
public static class JsonPaths
{
    public static string Segment(string name, int index)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > 64 || HasDigitRun(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '$'))
            return "[#" + index.ToString(CultureInfo.InvariantCulture) + "]";
        return char.IsAsciiLetter(name[0]) || name[0] is '_' or '$'
            ? (name.Contains('-', StringComparison.Ordinal) ? $"['{name}']" : "." + name)
            : $"['{name}']";
    }

    /// <summary>Plain words (<c>customer_email</c>) are not worth scanning; names with digits or symbols are.</summary>
    public static bool WorthScanning(string name) =>
        name is { Length: >= 6 } && !name.All(c => char.IsAsciiLetter(c) || c is '_' or '-');

    private static bool HasDigitRun(string name)
    {
        var run = 0;
        foreach (var c in name)
        {
            run = char.IsAsciiDigit(c) ? run + 1 : 0;
            if (run >= 4)
                return true;
        }
        return false;
    }
}
