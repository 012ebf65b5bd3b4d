using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Warden.Domain.Guardrails.PersonalData;

/// <summary>IPv4 and IPv6 addresses; four-part version numbers (<c>version 1.2.3.4</c>) and times are not addresses.</summary>
public sealed partial class IpAddressScanner : IScanner
{
    public string Name => "ip";

    public void Scan(ScanText text, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.DigitDots >= 3 && !IsVersionField(text))
        {
            foreach (var match in PatternMatches.In(V4(), text, findings, Name))
            {
                if (!FollowsVersionWord(text.Value, match.Index))
                    findings.Add(text.Finding(FindingKinds.IpAddress, 0.85, V4Excerpt(match.Value), match.Index, match.Length, Name));
            }
        }
        if (text.Colons >= 2)
        {
            foreach (var match in PatternMatches.In(V6(), text, findings, Name))
            {
                if (IsV6(match.Value))
                    findings.Add(text.Finding(FindingKinds.IpAddress, 0.85, "IPv6 ••••:••••", match.Index, match.Length, Name));
            }
        }
    }

    private static bool IsV6(string candidate)
    {
        var groups = candidate.Split(':');
        var nonEmpty = groups.Count(g => g.Length > 0);
        if (nonEmpty < 3 && !candidate.Contains("::", StringComparison.Ordinal))
            return false;
        if (nonEmpty < 2 || groups.All(g => g.Length == 0 || g.All(c => c == '0')))
            return false;
        return IPAddress.TryParse(candidate, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6
            && !IPAddress.IsLoopback(address);
    }

    private static string V4Excerpt(string value) => value[..value.IndexOf('.', StringComparison.Ordinal)] + ".•.•.•";

    private static bool IsVersionField(ScanText text) =>
        text.FieldName is { } name && name.Contains("version", StringComparison.OrdinalIgnoreCase);

    private static bool FollowsVersionWord(string value, int index)
    {
        var before = value.AsSpan(Math.Max(0, index - 12), index - Math.Max(0, index - 12)).TrimEnd();
        return before.EndsWith("version", StringComparison.OrdinalIgnoreCase) || before.EndsWith("ver", StringComparison.OrdinalIgnoreCase)
            || before.EndsWith("v", StringComparison.OrdinalIgnoreCase) || before.EndsWith("build", StringComparison.OrdinalIgnoreCase)
            || before.EndsWith("release", StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"(?<![\w.])(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?!\.?\d|\w)",
                    RegexOptions.CultureInvariant, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex V4();

    [GeneratedRegex(@"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:|::?){1,7}(?:[0-9A-Fa-f]{1,4}|:)(?![\w:])",
                    RegexOptions.CultureInvariant, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex V6();
}
