namespace Warden.Infrastructure.Hosting;

/// <summary>Splits Warden's own switches from the arguments handed to the host.</summary>
public sealed record CommandLine(bool Demo, string[] HostArgs)
{
    public static CommandLine Parse(string[] args) =>
        new(args.Contains("--demo", StringComparer.Ordinal), args.Where(a => a != "--demo").ToArray());
}
