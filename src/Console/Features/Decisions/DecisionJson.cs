using System.Text.Json;
using System.Text.Json.Serialization;

namespace Warden.Features.Decisions;

/// <summary>
/// The decision path's JSON, generated at build time: the request read, the reasons stored with a
/// decision and the answer written, with the web defaults the reflection serializer used before.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, AllowTrailingCommas = false)]
[JsonSerializable(typeof(DecisionRequestBody))]
[JsonSerializable(typeof(DecisionResponse))]
[JsonSerializable(typeof(List<ReasonBody>))]
internal sealed partial class DecisionJson : JsonSerializerContext;
