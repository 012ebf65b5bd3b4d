using System.Text.RegularExpressions;

namespace Warden.Domain.Tools;

/// <summary>Where the preview of a call to a tool comes from.</summary>
public enum PreviewSource
{
    /// <summary>The tool declares no preview.</summary>
    None = 0,
    /// <summary>The agent sends the preview with its request.</summary>
    Agent = 1,
    /// <summary>Warden asks the tool's preview endpoint (a signed webhook).</summary>
    Webhook = 2,
}

/// <summary>
/// What Warden knows about a tool beyond an agent's declaration of it: where the preview of a call
/// comes from and how an action can be undone (a compensating webhook, or a tool mapped on the MCP
/// gateway). Keyed by the tool name agents declare, so every agent declaring the tool shares it.
/// </summary>
public sealed partial record ToolHook(string Tool, PreviewSource Preview, Uri? PreviewUrl, Uri? CompensationUrl, string? CompensationGatewayTool)
{
    public const int MaxUrlLength = 2000;

    public bool DeclaresPreview => Preview != PreviewSource.None;

    public bool DeclaresCompensation => CompensationUrl is not null || CompensationGatewayTool is not null;

    /// <summary>A hook that declares nothing is not worth keeping: removing it says the same.</summary>
    public bool DeclaresAnything => DeclaresPreview || DeclaresCompensation;

    public Result Validate()
    {
        if (!ToolName().IsMatch(Tool ?? string.Empty))
            return ToolHookErrors.InvalidTool(Tool);
        if (!Enum.IsDefined(Preview))
            return ToolHookErrors.InvalidPreviewSource(Tool!);
        if (Preview == PreviewSource.Webhook && PreviewUrl is null)
            return ToolHookErrors.PreviewUrlMissing(Tool!);
        if (Preview != PreviewSource.Webhook && PreviewUrl is not null)
            return ToolHookErrors.PreviewUrlUnused(Tool!);
        if (PreviewUrl is not null && !IsWebhookUrl(PreviewUrl))
            return ToolHookErrors.InvalidUrl(Tool!, "preview");
        if (CompensationUrl is not null && !IsWebhookUrl(CompensationUrl))
            return ToolHookErrors.InvalidUrl(Tool!, "compensation");
        if (CompensationUrl is not null && CompensationGatewayTool is not null)
            return ToolHookErrors.TwoCompensations(Tool!);
        if (CompensationGatewayTool is not null && !ToolName().IsMatch(CompensationGatewayTool))
            return ToolHookErrors.InvalidTool(CompensationGatewayTool);
        return Result.Success();
    }

    /// <summary>An absolute http or https address without credentials in it (those belong in no URL).</summary>
    public static bool IsWebhookUrl(Uri url) =>
        url is { IsAbsoluteUri: true } && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
        && string.IsNullOrEmpty(url.UserInfo) && string.IsNullOrEmpty(url.Fragment) && url.OriginalString.Length <= MaxUrlLength;

    /// <summary>The same pattern as an agent's declared tool names.</summary>
    [GeneratedRegex("^[a-z][a-z0-9_.-]{0,63}$")]
    private static partial Regex ToolName();
}

public static class ToolHookErrors
{
    public static Error InvalidTool(string? tool) =>
        new("tool_hook.invalid_tool", $"'{tool}' is not a tool name: lower-case letters, digits, '.', '_' and '-', starting with a letter, at most 64.");

    public static Error InvalidPreviewSource(string tool) => new("tool_hook.invalid_preview", $"Tool '{tool}': the preview source is not one Warden knows.");

    public static Error PreviewUrlMissing(string tool) => new("tool_hook.preview_url_missing", $"Tool '{tool}': a preview fetched from the tool needs the tool's preview endpoint.");

    public static Error PreviewUrlUnused(string tool) => new("tool_hook.preview_url_unused", $"Tool '{tool}': a preview endpoint is only used when Warden fetches the preview from the tool.");

    public static Error InvalidUrl(string tool, string which) =>
        new("tool_hook.invalid_url", $"Tool '{tool}': the {which} endpoint must be an absolute http(s) address without credentials or fragment, at most {ToolHook.MaxUrlLength} characters.");

    public static Error TwoCompensations(string tool) =>
        new("tool_hook.two_compensations", $"Tool '{tool}': a compensating action is either a webhook or a gateway tool, not both.");

    public static Error NotFound(string tool) => new("tool_hook.not_found", $"No hook is declared for tool '{tool}'.");

    public static Error DeclaresNothing(string tool) =>
        new("tool_hook.declares_nothing", $"Tool '{tool}': declare a preview or a compensating action (or remove the hook).");
}
