using System.Text.Json;
using System.Text.Json.Serialization;

namespace Warden.Tests.Authorization;

/// <summary>
/// The expected access of every route and every service command, read from access-matrix.json.
/// The file is the reviewed statement of who may do what; the tests hold the running app to it.
/// </summary>
public sealed class AccessMatrix
{
    public const string Anonymous = "anonymous";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    [JsonPropertyName("$comment")]
    public string? Comment { get; init; }

    public required IReadOnlyList<RouteExpectation> Routes { get; init; }

    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Services { get; init; }

    public required IReadOnlyDictionary<string, string> ServicesExcluded { get; init; }

    /// <summary>The service methods that only read; every other listed method is a command.</summary>
    public required IReadOnlyList<string> Queries { get; init; }

    /// <summary>Commands that always need a recent sign-in or second-factor check.</summary>
    public required IReadOnlyList<string> StepUp { get; init; }

    /// <summary>Commands that need a step-up in one case only, with that case.</summary>
    public required IReadOnlyDictionary<string, string> StepUpWhen { get; init; }

    public static AccessMatrix Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Authorization", "access-matrix.json");
        return JsonSerializer.Deserialize<AccessMatrix>(File.ReadAllText(path), Json)
            ?? throw new InvalidOperationException($"{path} is empty.");
    }
}

/// <summary>One route: <c>"GET /pattern"</c>, the path to request if it has parameters, and the outcome per identity.</summary>
public sealed class RouteExpectation
{
    public required string Route { get; init; }

    /// <summary>A concrete path for a pattern with parameters, e.g. <c>/Account/Manage/RenamePasskey/sample</c>.</summary>
    public string? Sample { get; init; }

    /// <summary>Why an outcome is what it is, when that is not obvious.</summary>
    public string? Note { get; init; }

    /// <summary>Outcome per identity: <c>anonymous</c> and each role name.</summary>
    public required IReadOnlyDictionary<string, string> Expect { get; init; }

    public string Method => Route[..Route.IndexOf(' ', StringComparison.Ordinal)];

    public string Pattern => Route[(Route.IndexOf(' ', StringComparison.Ordinal) + 1)..];
}
