using System.Text.Json;
using System.Text.Json.Serialization;

namespace Warden.Client;

/// <summary>The agent API's JSON: camelCase names, enums as snake_case strings.</summary>
internal static class WardenJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
