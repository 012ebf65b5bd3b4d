using System.Text.Json;

namespace Warden.Domain.Guardrails;

/// <summary>
/// Personal data on its way out: a request that carries personal data and names a destination (a
/// recipient, URL, webhook or host field) that none of the agent's resource scopes covers gets one
/// <see cref="FindingKinds.Outbound"/> finding per such destination. Personal data found in the
/// destination field itself (a recipient's address) does not count: it names where, not what.
/// </summary>
public static class OutboundPersonalData
{
    public const string ScannerName = "outbound";

    private static readonly HashSet<string> DestinationFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "to", "cc", "bcc", "recipient", "recipients", "destination", "destinations", "url", "uri", "endpoint",
        "webhook", "webhook_url", "callback", "callback_url", "target", "target_url", "host", "send_to", "forward_to", "upload_url",
    };

    /// <param name="inScope">Whether one of the agent's resource scopes covers a host or address.</param>
    public static IReadOnlyList<Finding> Find(JsonElement parameters, IReadOnlyList<Finding> findings, Func<string, bool> inScope)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(inScope);
        var personal = findings.Where(f => FindingKinds.IsPersonal(f.Family) && f.Kind != FindingKinds.Outbound).ToList();
        if (personal.Count == 0)
            return [];
        var destinations = new List<(string Location, string Host)>();
        Collect(parameters, "$", string.Empty, fieldName: null, destinations);
        var outbound = new List<Finding>();
        foreach (var (location, host) in destinations)
        {
            if (inScope(host))
                continue;
            var carried = personal.Where(f => !IsAtOrUnder(f.Location, location)).ToList();
            if (carried.Count == 0)
                continue;
            var kinds = string.Join(", ", carried.Select(f => f.Kind).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
            outbound.Add(new Finding(FindingKinds.Outbound, location, carried.Max(f => f.Confidence), $"personal data ({kinds}) to {host}")
            {
                Scanner = ScannerName,
            });
        }
        return outbound;
    }

    /// <summary>The host a destination value names: an e-mail address's domain, a URL's host, or a bare host name.</summary>
    public static string? HostOf(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Trim();
        if (text.Length is 0 or > 2048 || text.Any(char.IsWhiteSpace))
            return null;
        if (text.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            text = text[7..];
        var at = text.LastIndexOf('@');
        if (at > 0 && !text.Contains("://", StringComparison.Ordinal))
            return Host(text[(at + 1)..]);
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Host.Length > 0)
            return uri.Host.ToLowerInvariant();
        return Host(text);
    }

    private static string? Host(string text)
    {
        var host = text.TrimEnd('.').ToLowerInvariant();
        return host.Contains('.', StringComparison.Ordinal) && Uri.CheckHostName(host) is UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6
            ? host
            : null;
    }

    private static bool IsAtOrUnder(string location, string destination) =>
        location == destination
        || (location.StartsWith(destination, StringComparison.Ordinal) && location[destination.Length] is '.' or '[');

    private static void Collect(JsonElement element, string parentPath, string segment, string? fieldName, List<(string, string)> destinations)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var path = parentPath + segment;
                var index = 0;
                foreach (var property in element.EnumerateObject())
                    Collect(property.Value, path, JsonPaths.Segment(property.Name, index++), property.Name, destinations);
                break;
            case JsonValueKind.Array:
                var arrayPath = parentPath + segment;
                var i = 0;
                foreach (var item in element.EnumerateArray())
                    Collect(item, arrayPath, "[" + (i++).ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", fieldName, destinations);
                break;
            case JsonValueKind.String when fieldName is not null && DestinationFields.Contains(fieldName):
                if (HostOf(element.GetString() ?? string.Empty) is { } host)
                    destinations.Add((parentPath + segment, host));
                break;
        }
    }
}
