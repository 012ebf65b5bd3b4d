using System.Text.Json;
using Warden.Domain.Guardrails;
using Warden.Features.AuditLog;
using System.Security.Cryptography;
using Warden.Infrastructure.Keys;
using Warden.Infrastructure.Storage;

namespace Warden.Features.Guardrails;

/// <summary>
/// The one masking service: whatever Warden stores or shows of what agents sent (decision records,
/// audit events, approval cards, agent pages, exports, evidence) goes through it first. Personal
/// data and secrets become typed placeholders with a short keyed hash, e.g. <c>[email:3f9a1c2b]</c>;
/// the key is one for every instance, kept in the key store, so placeholders correlate across records
/// of one installation and reveal nothing without the key. A data folder's masking.key from before
/// keys were shared is imported once.
/// </summary>
public sealed class Masking(GuardrailScanner scanner, KeyStore keys, DatabaseConnection connection) : IAuditMasking, IStoredKeyUser
{
    public const string KeyName = "masking";
    public const string KeyFileName = "masking.key";

    private readonly Lazy<GuardrailMasker> _masker = new(() => new GuardrailMasker(
        keys.GetOrCreate(KeyName, "hmac-sha256", () => RandomNumberGenerator.GetBytes(32), () => DataFolderKeyFile.Read(connection.DataDirectory, KeyFileName)),
        scanner.ForMasking()));

    public void LoadKeys() => _ = _masker.Value;

    public string Text(string? text) => string.IsNullOrEmpty(text) ? text ?? string.Empty : _masker.Value.MaskText(text);

    /// <summary>Masks <paramref name="text"/> with the findings of a scan of that same text, without scanning it again.</summary>
    public string Text(string text, IEnumerable<Finding> findings) => _masker.Value.Apply(text, findings);

    /// <summary>Masks a JSON document's values and names; text that is not JSON is masked as text and stored as a JSON string.</summary>
    public string Json(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return "{}";
        try
        {
            using var document = JsonDocument.Parse(json);
            return _masker.Value.MaskJson(document.RootElement);
        }
        catch (JsonException)
        {
            return JsonSerializer.Serialize(Text(json));
        }
    }

    public string Json(JsonElement document) => _masker.Value.MaskJson(document);

    /// <summary>An output with <paramref name="toMask"/> (findings of a scan of <paramref name="wrapped"/>) masked, checked and digested for release.</summary>
    public ScrubbedOutput Scrub(JsonElement wrapped, IReadOnlyList<Finding> toMask) => OutputScrubbing.Scrub(_masker.Value, wrapped, toMask);

    /// <summary>Masks <paramref name="document"/> with the findings of a scan of that same document, without scanning it again.</summary>
    public string Json(JsonElement document, IReadOnlyList<Finding> findings) => _masker.Value.MaskJson(document, findings);
}
