using System.Globalization;

namespace Warden.Samples.GuardedAgent;

/// <summary>The sample's command line, with defaults that fit <c>--demo</c>.</summary>
internal sealed record SampleArguments(Uri Url, string ClientId, string ClientSecret, string Ticket, TimeSpan Wait)
{
    public static SampleArguments? Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "-h" or "--help" || !args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                return null;
            values[args[i][2..]] = args[++i];
        }
        if (values.Keys.Except(["url", "client-id", "client-secret", "ticket", "wait"]).Any())
            return null;
        if (!Uri.TryCreate(values.GetValueOrDefault("url", "http://localhost:5080"), UriKind.Absolute, out var url)
            || !int.TryParse(values.GetValueOrDefault("wait", "120"), NumberStyles.None, CultureInfo.InvariantCulture, out var wait))
            return null;
        return new SampleArguments(
            url,
            values.GetValueOrDefault("client-id", "agt_demo_support"),
            values.GetValueOrDefault("client-secret", "Warden-Demo-Agent-1"),
            values.GetValueOrDefault("ticket", Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(wait));
    }
}
