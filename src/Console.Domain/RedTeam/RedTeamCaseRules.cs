using System.Text.Json;
using System.Text.RegularExpressions;

namespace Warden.Domain.RedTeam;

/// <summary>What an officer's own case must be before it is saved: a known category, a request Warden can read, a safe answer.</summary>
public static partial class RedTeamCaseRules
{
    public const int MaxTitle = 200;
    public const int MaxText = 4000;
    public const int MaxParameters = 16_000;
    public const int MaxCustomCases = 200;

    private static readonly string[] Operations = ["read", "write", "delete", "execute"];

    public static Result Validate(RedTeamCase draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (!RedTeamCategories.IsKnown(draft.Category) || draft.Category == RedTeamCategories.GrantReplay)
            return RedTeamErrors.UnknownCategory(draft.Category);
        if (string.IsNullOrWhiteSpace(draft.Title) || draft.Title.Length > MaxTitle)
            return RedTeamErrors.TitleRequired;
        if (string.IsNullOrWhiteSpace(draft.Tool) || (!draft.Tool.StartsWith('$') && !ToolName().IsMatch(draft.Tool)) || draft.Tool.Length > 64)
            return RedTeamErrors.ToolInvalid;
        if (draft.Tool.StartsWith('$') && draft.Tool is not ("$read" or "$write" or "$delete" or "$execute" or "$any"))
            return RedTeamErrors.ToolInvalid;
        if (!Operations.Contains(draft.Operation))
            return RedTeamErrors.OperationInvalid;
        if (draft.Resource is { Length: > 512 })
            return RedTeamErrors.ResourceTooLong;
        if (draft.Justification is { Length: > MaxText })
            return RedTeamErrors.TextTooLong;
        if (draft.Records is < 0 || draft.Amount is < 0)
            return RedTeamErrors.ImpactNegative;
        if (draft.Amount is not null && (draft.Currency is null || !Currency().IsMatch(draft.Currency)))
            return RedTeamErrors.CurrencyRequired;
        if (draft.ParametersJson is { } json && !string.IsNullOrWhiteSpace(json))
        {
            if (json.Length > MaxParameters)
                return RedTeamErrors.ParametersTooLong;
            try
            {
                using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    return RedTeamErrors.ParametersInvalid("the parameters must be a JSON object");
            }
            catch (JsonException ex)
            {
                return RedTeamErrors.ParametersInvalid(ex.Message);
            }
        }
        return Result.Success();
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex ToolName();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex Currency();
}
