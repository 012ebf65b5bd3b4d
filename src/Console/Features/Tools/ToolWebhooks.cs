using System.ComponentModel.DataAnnotations;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Warden.Features.Decisions.Grants;

namespace Warden.Features.Tools;

public sealed class ToolHookOptions
{
    public const string SectionName = "Tools";

    /// <summary>How long Warden waits for a tool's preview or compensating endpoint before treating it as down.</summary>
    [Range(1, 120)]
    public int WebhookTimeoutSeconds { get; set; } = 5;
}

public enum ToolWebhookStatus
{
    /// <summary>A 2xx answer whose body is a JSON document (<see cref="ToolWebhookAnswer.Json"/>).</summary>
    Ok,
    /// <summary>No answer: the address could not be reached (refused, name unknown, TLS failure).</summary>
    Unreachable,
    /// <summary>No answer within the timeout.</summary>
    TimedOut,
    /// <summary>An answer with a status other than 2xx.</summary>
    BadStatus,
    /// <summary>A 2xx answer whose body is not JSON, or is larger than Warden reads.</summary>
    BadBody,
}

/// <summary>What a tool answered to a signed request, or why it did not; <see cref="Detail"/> is for people.</summary>
public sealed record ToolWebhookAnswer(ToolWebhookStatus Status, int? HttpStatus, string? Body, string Detail)
{
    public bool IsOk => Status == ToolWebhookStatus.Ok;

    /// <summary>The parsed body of an <see cref="ToolWebhookStatus.Ok"/> answer.</summary>
    public JsonElement? Json => IsOk && Body is not null ? JsonDocument.Parse(Body).RootElement.Clone() : null;
}

/// <summary>
/// Sends Warden's requests to tools (a preview to fetch, a compensating action to run): a JSON POST
/// with the event, a delivery id the tool deduplicates on (the caller passes the same id when it
/// retries the same thing), and a signature a tool verifies with the key set it already uses for
/// grants. Never throws for the tool's fault: every failure is an answer the caller records.
/// </summary>
public sealed class ToolWebhooks(IHttpClientFactory http, IOptions<ToolHookOptions> options, ToolWebhookSignature signatures)
{
    public const string HttpClientName = "warden-tool-webhook";
    public const string EventHeader = "Warden-Event";
    public const string DeliveryHeader = "Warden-Delivery";
    public const string SignatureHeader = "Warden-Signature";
    public const int MaxBodyBytes = 64 * 1024;

    public async Task<ToolWebhookAnswer> PostAsync(Uri url, string eventType, string deliveryId, byte[] body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(EventHeader, eventType);
        request.Headers.Add(DeliveryHeader, deliveryId);
        request.Headers.Add(SignatureHeader, signatures.Sign(url, eventType, deliveryId, body));
        var timeout = TimeSpan.FromSeconds(options.Value.WebhookTimeoutSeconds);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timer.Token);
            var status = (int)response.StatusCode;
            var (text, tooLong) = await ReadCappedAsync(response.Content, timer.Token);
            if (!response.IsSuccessStatusCode)
                return new ToolWebhookAnswer(ToolWebhookStatus.BadStatus, status, text, $"The tool answered HTTP {status}.");
            if (tooLong)
                return new ToolWebhookAnswer(ToolWebhookStatus.BadBody, status, null, $"The tool's answer is longer than {MaxBodyBytes / 1024} KB.");
            if (!IsJson(text))
                return new ToolWebhookAnswer(ToolWebhookStatus.BadBody, status, text, "The tool's answer is not a JSON document.");
            return new ToolWebhookAnswer(ToolWebhookStatus.Ok, status, text, $"The tool answered HTTP {status}.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ToolWebhookAnswer(ToolWebhookStatus.TimedOut, null, null, $"The tool did not answer within {timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException ex)
        {
            return new ToolWebhookAnswer(ToolWebhookStatus.Unreachable, null, null, $"The tool could not be reached: {ex.Message}");
        }
    }

    private static async Task<(string Text, bool TooLong)> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxBodyBytes + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
            read += n;
        var tooLong = read > MaxBodyBytes;
        return (Encoding.UTF8.GetString(buffer, 0, Math.Min(read, MaxBodyBytes)), tooLong);
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

/// <summary>
/// The <c>Warden-Signature</c> of a request to a tool: a compact JWS of type
/// <see cref="Type"/> signed with Warden's grant key, naming the audience (the tool's origin), the
/// event, the delivery id and the SHA-256 of the exact body. A tool verifies it with the grants' key
/// set, checks the time, the audience and the body digest, and may keep delivery ids to refuse replays.
/// </summary>
public sealed class ToolWebhookSignature(SignedDocuments documents, GrantIssuer issuer, TimeProvider clock)
{
    public const string Type = "warden-webhook+jwt";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    public string Sign(Uri url, string eventType, string deliveryId, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(url);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = issuer.Current,
            ["aud"] = url.GetLeftPart(UriPartial.Authority),
            ["iat"] = now,
            ["exp"] = now + (long)Lifetime.TotalSeconds,
            ["jti"] = deliveryId,
            ["evt"] = eventType,
            ["body_sha256"] = System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(body)),
        });
        return documents.Sign(Type, payload);
    }

    /// <summary>Why <paramref name="signature"/> does not sign <paramref name="body"/> for <paramref name="audience"/> now, or null when it does.</summary>
    public string? Check(string? signature, byte[] body, Uri audience)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(audience);
        using var payload = documents.Read(signature, Type);
        if (payload is null)
            return "not a webhook signature by a Warden key";
        var claims = payload.RootElement;
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        if (!claims.TryGetProperty("exp", out var exp) || exp.ValueKind != JsonValueKind.Number || exp.GetInt64() < now)
            return "expired";
        if (!claims.TryGetProperty("aud", out var aud) || aud.GetString() != audience.GetLeftPart(UriPartial.Authority))
            return "for another audience";
        if (!claims.TryGetProperty("body_sha256", out var digest)
            || digest.GetString() != System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(body)))
            return "the body is not the one signed";
        return null;
    }
}
