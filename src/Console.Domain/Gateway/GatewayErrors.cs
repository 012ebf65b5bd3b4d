namespace Warden.Domain.Gateway;

public static class GatewayErrors
{
    public static readonly Error InvalidTransport = new("gateway.invalid_transport", "The transport is stdio or http.");
    public static readonly Error CommandRequired = new("gateway.command_required", "A stdio upstream needs the command that starts it.");
    public static readonly Error UrlOnlyForHttp = new("gateway.url_only_for_http", "A stdio upstream has a command, not a URL.");
    public static readonly Error CommandOnlyForStdio = new("gateway.command_only_for_stdio", "An HTTP upstream has a URL, not a command, arguments or working folder.");
    public static readonly Error HeadersOnlyForHttp = new("gateway.headers_only_for_http", "Only an HTTP upstream has headers; remove them before changing the transport.");
    public static readonly Error InvalidHeaderNames = new("gateway.invalid_headers", "Header names are distinct HTTP tokens (such as Authorization or X-Api-Key), and not ones the transport sets itself.");
    public static readonly Error SettingsTooLong = new("gateway.settings_too_long", $"At most {UpstreamSettings.MaxArguments} arguments; each text at most {UpstreamSettings.MaxTextLength} characters.");
    public static readonly Error InvalidOperation = new("gateway.invalid_operation", "The operation is one of read, write, delete, execute.");
    public static readonly Error InvalidRisk = new("gateway.invalid_risk", "The risk tier is low, medium, high or critical.");
    public static readonly Error TooManyMappings = new("gateway.too_many_mappings", $"An upstream has at most {Upstream.MaxMappings} mapped tools.");
    public static readonly Error ResourceTooLong = new("gateway.resource_too_long", "The resource named by the arguments is longer than 512 characters.");

    public static Error InvalidName(string? name) =>
        new("gateway.invalid_name", $"Upstream name '{name}' must be 1 to 40 lower-case letters, digits or '-', starting with a letter.");

    public static Error InvalidUrl(string? url) =>
        new("gateway.invalid_url", $"'{url}' is not an absolute http or https URL (without a user name or password in it).");

    public static Error InvalidToolName(string? name, string what) =>
        new("gateway.invalid_tool_name", $"'{name}' is not a valid {what} name.");

    public static Error InvalidTemplate(string? template, string why) =>
        new("gateway.invalid_template", $"Resource template '{template}' is not valid: {why}.");

    public static Error ExposedNameTaken(string name) =>
        new("gateway.name_taken", $"Agents already see a tool called '{name}'; list this one under another name.");

    public static Error MappingNotFound(string name) => new("gateway.mapping_not_found", $"No tool '{name}' is mapped on this upstream.");

    public static Error ArgumentMissing(string name) =>
        new("gateway.argument_missing", $"The argument '{name}' names the resource of this call and is required.");

    public static Error ArgumentNotAResource(string name) =>
        new("gateway.argument_not_a_resource", $"The argument '{name}' climbs out of its resource with '..' (or holds control characters); name the resource directly.");
}
