using System.Text.Json;
using Warden.Domain.Decisions;
using Warden.Domain.Guardrails;

namespace Warden.Features.Guardrails;

/// <summary>What screening found in one request or output, by scanner, location and confidence.</summary>
public sealed record Screening(IReadOnlyList<Finding> Findings)
{
    public static readonly Screening Clean = new([]);

    public IReadOnlyList<GuardrailFinding> ForPolicy() => GuardrailScanner.ForPolicy(Findings);
}

/// <summary>
/// Step 9 of the decision pipeline: the built-in scanners over the parameters and justification,
/// personal data on its way to a destination outside the agent's scopes, and every configured
/// hosted detector in parallel, each within its timeout. A detector that fails closed and does not
/// answer leaves a <c>guardrail.detector_unavailable</c> finding, which the engine refuses.
/// </summary>
public sealed class RequestScreening(GuardrailScanner scanner, IEnumerable<IExternalDetector> detectors, ILogger<RequestScreening> logger)
{
    public const string RequestStage = "request";
    public const string OutputStage = "output";
    public const string JustificationLocation = "$justification";

    private readonly IExternalDetector[] _detectors = detectors.ToArray();

    public GuardrailScanner Scanner => scanner;

    public ValueTask<Screening> ScreenAsync(
        string agentId, AgentView agent, string tool, string stage, JsonElement? content, string? justification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var findings = new List<Finding>();
        if (content is { } document)
        {
            findings.AddRange(scanner.Scan(document));
            findings.AddRange(OutboundPersonalData.Find(document, findings, host => agent.InScope(host) || agent.InScope(host + "/outbound")));
        }
        if (!string.IsNullOrEmpty(justification))
            findings.AddRange(scanner.Scan(justification, JustificationLocation, "justification"));
        if (_detectors.Length == 0 || content is null)
            return ValueTask.FromResult(findings.Count == 0 ? Screening.Clean : new Screening(findings));
        return AskDetectorsAsync(new DetectorQuery(agentId, tool, stage, content.Value), findings, cancellationToken);
    }

    private async ValueTask<Screening> AskDetectorsAsync(DetectorQuery query, List<Finding> findings, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(_detectors.Select(d => AskAsync(d, query, cancellationToken)));
        foreach (var answer in answers)
            findings.AddRange(answer);
        return new Screening(findings);
    }

    private async Task<IReadOnlyList<Finding>> AskAsync(IExternalDetector detector, DetectorQuery query, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(detector.Timeout);
        string failure;
        try
        {
            return await detector.DetectAsync(query, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            failure = $"no answer within {detector.Timeout.TotalMilliseconds:0} ms";
        }
        catch (DetectorException ex)
        {
            failure = ex.Message;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or NotSupportedException)
        {
            failure = $"could not be asked ({ex.GetType().Name})";
        }
        ScreeningLog.DetectorFailed(logger, detector.Name, failure, detector.FailClosed ? "refused" : "screened without it");
        return detector.FailClosed
            ? [new Finding(FindingKinds.DetectorUnavailable, "$", 1.0, $"{detector.Name}: {failure}") { Scanner = "external:" + detector.Name }]
            : [];
    }
}

internal static partial class ScreeningLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Guardrail detector {Detector} failed: {Failure}; the request is {Consequence}.")]
    public static partial void DetectorFailed(ILogger logger, string detector, string failure, string consequence);
}
