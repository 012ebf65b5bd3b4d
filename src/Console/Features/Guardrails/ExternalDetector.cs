using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Warden.Domain.Guardrails;

namespace Warden.Features.Guardrails;

/// <summary>What a hosted detector is asked about: one request's parameters or one output, with who sent it.</summary>
public sealed record DetectorQuery(string AgentId, string Tool, string Stage, JsonElement Content);

/// <summary>
/// A detector hosted elsewhere (for example a prompt-injection classifier). It answers with findings
/// or throws; the screening turns a failure into a refusal or a skip, as the detector is configured.
/// </summary>
public interface IExternalDetector
{
    string Name { get; }
    bool FailClosed { get; }
    TimeSpan Timeout { get; }

    Task<IReadOnlyList<Finding>> DetectAsync(DetectorQuery query, CancellationToken cancellationToken);
}

/// <summary>
/// The HTTP adapter: <c>POST</c> the query as JSON to the configured URL and read
/// <c>{"findings":[{"kind":"injection.classifier","location":"$.prompt","confidence":0.93}]}</c>.
/// Kinds must belong to the pii, secret or injection family; anything else in the answer is a failure.
/// </summary>
public sealed class HttpDetector(HttpClient http, DetectorSettings settings) : IExternalDetector
{
    public const string HttpClientName = "guardrail-detector";
    private const int MaxFindings = 100;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name => settings.Name;
    public bool FailClosed => settings.FailClosed;
    public TimeSpan Timeout => TimeSpan.FromMilliseconds(settings.TimeoutMilliseconds);

    public async Task<IReadOnlyList<Finding>> DetectAsync(DetectorQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Url)
        {
            Content = JsonContent.Create(new { agentId = query.AgentId, tool = query.Tool, stage = query.Stage, content = query.Content }, options: Json),
        };
        if (!string.IsNullOrEmpty(settings.ApiKey))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new DetectorException($"answered HTTP {(int)response.StatusCode}");
        var answer = await response.Content.ReadFromJsonAsync<Answer>(Json, cancellationToken)
            ?? throw new DetectorException("answered with an empty body");
        if (answer.Findings is not { } reported)
            throw new DetectorException("answered without a findings list");
        if (reported.Count > MaxFindings)
            throw new DetectorException($"answered with more than {MaxFindings} findings");
        return reported.Select(Check).ToList();
    }

    private Finding Check(Reported reported)
    {
        var kind = reported.Kind?.Trim() ?? string.Empty;
        if (kind.Length is 0 or > 64 || FindingKinds.Family(kind) is not (FindingKinds.PiiFamily or FindingKinds.PhiFamily or FindingKinds.SecretFamily or FindingKinds.InjectionFamily or FindingKinds.DestructiveFamily)
            || kind.Length == FindingKinds.Family(kind).Length)
            throw new DetectorException($"reported the kind '{Shorten(kind)}', which is not pii.*, phi.*, secret.*, injection.* or destructive.*");
        if (reported.Confidence is not (>= 0 and <= 1))
            throw new DetectorException("reported a confidence outside 0..1");
        var location = string.IsNullOrWhiteSpace(reported.Location) ? "$" : reported.Location.Trim();
        if (location.Length > 200 || location[0] != '$')
            throw new DetectorException("reported a location that is not a JSON path");
        return new Finding(kind, location, reported.Confidence.Value, $"reported by {Name}") { Scanner = "external:" + Name };
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private sealed record Answer(List<Reported>? Findings);

    private sealed record Reported(string? Kind, string? Location, double? Confidence);
}

public sealed class DetectorException(string message) : Exception(message);
