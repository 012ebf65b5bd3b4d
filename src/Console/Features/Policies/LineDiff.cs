namespace Warden.Features.Policies;

public sealed record DiffLine(char Change, string Text);

/// <summary>A line diff by longest common subsequence; policy documents are small enough for the quadratic table.</summary>
public static class LineDiff
{
    public const int MaxLines = 4_000;

    public static IReadOnlyList<DiffLine> Between(string before, string after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var a = before.ReplaceLineEndings("\n").Split('\n');
        var b = after.ReplaceLineEndings("\n").Split('\n');
        if (a.Length > MaxLines || b.Length > MaxLines)
            return [.. a.Select(l => new DiffLine('-', l)), .. b.Select(l => new DiffLine('+', l))];
        var common = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
                common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
        }
        var lines = new List<DiffLine>(a.Length + b.Length);
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y])
            {
                lines.Add(new DiffLine(' ', a[x]));
                x++;
                y++;
            }
            else if (common[x + 1, y] >= common[x, y + 1])
                lines.Add(new DiffLine('-', a[x++]));
            else
                lines.Add(new DiffLine('+', b[y++]));
        }
        while (x < a.Length)
            lines.Add(new DiffLine('-', a[x++]));
        while (y < b.Length)
            lines.Add(new DiffLine('+', b[y++]));
        return lines;
    }
}
