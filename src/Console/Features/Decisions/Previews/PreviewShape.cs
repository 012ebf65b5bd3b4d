using System.Text.Json;
using Warden.Domain;
using Warden.Domain.Previews;

namespace Warden.Features.Decisions.Previews;

/// <summary>A preview's wire form (the agent's <c>preview</c>, or a tool's answer): read, checked, and written back as JSON.</summary>
public static class PreviewShape
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The preview an agent sent, or a 400 problem naming what is wrong with it.</summary>
    public static Result<ActionPreview> Read(PreviewBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var preview = ActionPreview.Create(body.Summary, body.Changes, body.Records, body.Amount, body.Currency);
        return preview.IsSuccess ? preview : DecisionErrors.Invalid(preview.Error.Message);
    }

    /// <summary>A tool's answer: the same shape as an agent's preview; anything else is an error saying why.</summary>
    public static Result<ActionPreview> FromTool(JsonElement answer)
    {
        if (answer.ValueKind != JsonValueKind.Object)
            return PreviewErrors.Invalid("the answer is not a JSON object with a summary.");
        PreviewBody? body;
        try
        {
            body = answer.Deserialize<PreviewBody>(Json);
        }
        catch (JsonException ex)
        {
            return PreviewErrors.Invalid($"the answer does not have the preview's shape ({ex.Path ?? "$"}).");
        }
        return body is null ? PreviewErrors.Invalid("the answer is empty.")
            : ActionPreview.Create(body.Summary, body.Changes, body.Records, body.Amount, body.Currency);
    }

    /// <summary>The preview as a JSON document, as it is screened and stored (before masking).</summary>
    public static JsonElement ToJson(ActionPreview preview)
    {
        ArgumentNullException.ThrowIfNull(preview);
        return JsonSerializer.SerializeToElement(new PreviewBody(preview.Summary, preview.Changes, [.. preview.Records], preview.Amount, preview.Currency), Json);
    }

    /// <summary>A stored (masked) preview read back for the approval card; null when there is none or it cannot be read.</summary>
    public static PreviewBody? Stored(string? json)
    {
        if (string.IsNullOrEmpty(json))
            return null;
        try
        {
            return JsonSerializer.Deserialize<PreviewBody>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
