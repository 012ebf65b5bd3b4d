using System.Text.RegularExpressions;
using Warden.Tests.Support;

namespace Warden.Tests.Architecture;

/// <summary>Time is a parameter: domain methods take <c>now</c>, services ask <c>TimeProvider</c>.</summary>
public sealed partial class ClockUsageTests
{
    [Fact]
    public void SourceFiles_NeverReadTheSystemClockDirectly()
    {
        var source = RepositoryRoot.Combine("src");
        var files = Directory.EnumerateFiles(source, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !IsExcluded(Path.GetRelativePath(source, f)))
            .ToList();

        var offenders = files
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => ClockRead().IsMatch(l.Text))
            .Select(l => $"{Path.GetRelativePath(RepositoryRoot.Path, l.File)}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        files.Count.ShouldBeGreaterThan(20, "the scan must see the sources");
        offenders.ShouldBeEmpty("use TimeProvider instead:\n" + string.Join('\n', offenders));
    }

    [Theory]
    [InlineData("var t = DateTime.UtcNow;", true)]
    [InlineData("var t = System.DateTime.Now;", true)]
    [InlineData("CreatedAt = DateTimeOffset.UtcNow,", true)]
    [InlineData("if (x < DateTimeOffset.Now) return;", true)]
    [InlineData("var t = clock.GetUtcNow();", false)]
    [InlineData("var t = DateTime.UtcNowish;", false)]
    [InlineData("DateTimeOffset.UnixEpoch", false)]
    public void ClockRead_MatchesOnlyDirectClockReads(string line, bool expected)
    {
        var matches = ClockRead().IsMatch(line);

        matches.ShouldBe(expected);
    }

    private static bool IsExcluded(string relativePath)
    {
        var parts = relativePath.Split(Path.DirectorySeparatorChar);
        return parts.Contains("bin") || parts.Contains("obj")
            || relativePath.Replace(Path.DirectorySeparatorChar, '/').Contains("Persistence/Migrations/", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\bDateTime(Offset)?\.(UtcNow|Now)\b")]
    private static partial Regex ClockRead();
}
