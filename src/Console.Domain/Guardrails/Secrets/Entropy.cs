namespace Warden.Domain.Guardrails.Secrets;

/// <summary>Shannon entropy in bits per character: random keys sit near log2 of their alphabet (base64 ≈ 6), words near 3.</summary>
public static class Entropy
{
    public static double BitsPerChar(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
            return 0;
        Span<int> ascii = stackalloc int[128];
        Dictionary<char, int>? other = null;
        foreach (var c in value)
        {
            if (c < 128)
                ascii[c]++;
            else
                (other ??= [])[c] = other.GetValueOrDefault(c) + 1;
        }
        double length = value.Length;
        var bits = 0.0;
        foreach (var count in ascii)
        {
            if (count > 0)
                bits -= count / length * Math.Log2(count / length);
        }
        foreach (var count in other?.Values ?? Enumerable.Empty<int>())
            bits -= count / length * Math.Log2(count / length);
        return bits;
    }
}
