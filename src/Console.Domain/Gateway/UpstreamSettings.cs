using System.Text.RegularExpressions;

namespace Warden.Domain.Gateway;

public enum UpstreamTransport
{
    Stdio,
    Http,
}

/// <summary>
/// Where an upstream MCP server is: a command Warden starts and talks to over stdio, or a
/// Streamable HTTP address. Credentials for it are held apart (sealed) and never part of these settings.
/// </summary>
public sealed partial record UpstreamSettings(
    string Name,
    UpstreamTransport Transport,
    string? Command,
    IReadOnlyList<string> Arguments,
    string? WorkingDirectory,
    string? Url)
{
    public const int MaxArguments = 32;
    public const int MaxTextLength = 1000;

    public UpstreamSettings Normalized() => this with
    {
        Name = Name?.Trim() ?? string.Empty,
        Command = Blank(Command),
        Arguments = (Arguments ?? []).Select(a => a ?? string.Empty).ToList(),
        WorkingDirectory = Blank(WorkingDirectory),
        Url = Blank(Url),
    };

    public Result Validate()
    {
        if (!NamePattern().IsMatch(Name ?? string.Empty))
            return GatewayErrors.InvalidName(Name);
        if (!Enum.IsDefined(Transport))
            return GatewayErrors.InvalidTransport;
        if ((Arguments?.Count ?? 0) > MaxArguments || (Arguments ?? []).Any(a => a.Length > MaxTextLength)
            || Command?.Length > MaxTextLength || WorkingDirectory?.Length > MaxTextLength || Url?.Length > MaxTextLength)
            return GatewayErrors.SettingsTooLong;
        return Transport == UpstreamTransport.Stdio ? ValidateStdio() : ValidateHttp();
    }

    private Result ValidateStdio()
    {
        if (string.IsNullOrWhiteSpace(Command))
            return GatewayErrors.CommandRequired;
        if (Url is not null)
            return GatewayErrors.UrlOnlyForHttp;
        return Result.Success();
    }

    private Result ValidateHttp()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.UserInfo))
            return GatewayErrors.InvalidUrl(Url);
        if (Command is not null || Arguments.Count > 0 || WorkingDirectory is not null)
            return GatewayErrors.CommandOnlyForStdio;
        return Result.Success();
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$")]
    private static partial Regex NamePattern();
}
