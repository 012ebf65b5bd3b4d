using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Warden.Domain.Decisions;

namespace Warden.Domain.Previews;

/// <summary>
/// What an action would change, shown to the people who approve it: a short summary, the changes as
/// text (a diff or a list), the records it touches and the amount it moves. Sent by the agent with its
/// request or fetched from the tool's preview endpoint; bound to the approval by its <see cref="Digest"/>.
/// </summary>
public sealed record ActionPreview(string Summary, string? Changes, IReadOnlyList<string> Records, decimal? Amount, string? Currency)
{
    public const int MaxSummaryLength = 500;
    public const int MaxChangesLength = 16_000;
    public const int MaxRecords = 100;
    public const int MaxRecordLength = 200;
    private const decimal MaxAmount = 100_000_000_000_000m;

    /// <summary>Checks a preview's shape; the error names the field, so the agent or the tool can fix it.</summary>
    public static Result<ActionPreview> Create(string? summary, string? changes, IReadOnlyList<string?>? records, decimal? amount, string? currency)
    {
        var text = summary?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > MaxSummaryLength || text.Any(char.IsControl))
            return PreviewErrors.Invalid($"preview.summary is required: one line of at most {MaxSummaryLength} characters.");
        if (changes?.Length > MaxChangesLength || changes?.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')) == true)
            return PreviewErrors.Invalid($"preview.changes is text of at most {MaxChangesLength} characters (lines, no other control characters).");
        var touched = records ?? [];
        if (touched.Count > MaxRecords)
            return PreviewErrors.Invalid($"preview.records lists at most {MaxRecords} records.");
        if (touched.Any(r => string.IsNullOrWhiteSpace(r) || r.Length > MaxRecordLength || r.Any(char.IsControl)))
            return PreviewErrors.Invalid($"each of preview.records is a name of 1 to {MaxRecordLength} printable characters.");
        if (amount is < 0 or > MaxAmount || amount is { } a && decimal.Round(a, 4) != a)
            return PreviewErrors.Invalid($"preview.amount is between 0 and {MaxAmount} with at most 4 decimals.");
        if (currency is not null && (currency.Length != 3 || !currency.All(char.IsAsciiLetter)))
            return PreviewErrors.Invalid("preview.currency is a three-letter code such as EUR.");
        if (amount is not null && currency is null)
            return PreviewErrors.Invalid("preview.currency is required when preview.amount is given.");
        return new ActionPreview(text, string.IsNullOrEmpty(changes) ? null : changes.ReplaceLineEndings("\n"),
                                 [.. touched.Select(r => r!.Trim())], amount, currency?.ToUpperInvariant());
    }

    /// <summary>
    /// The canonical form the digest is taken over: JSON with the properties in a fixed order, no
    /// insignificant whitespace, line endings as \n, the amount with no trailing zeros, absent values as null.
    /// </summary>
    public string Canonical()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("summary", Summary);
            writer.WriteString("changes", Changes);
            writer.WriteStartArray("records");
            foreach (var record in Records)
                writer.WriteStringValue(record);
            writer.WriteEndArray();
            if (Amount is { } amount)
                writer.WriteString("amount", (amount / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture));
            else
                writer.WriteNull("amount");
            writer.WriteString("currency", Currency);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>SHA-256 of <see cref="Canonical"/>, lower-case hex: what an approval and a grant are bound to.</summary>
    public string Digest => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical())));
}
