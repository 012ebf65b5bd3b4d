using Warden.Domain.Agents;

namespace Warden.Features.Agents;

/// <summary>The register/edit form's mutable state; <see cref="ToDraft"/> builds the immutable draft on submit.</summary>
public sealed class AgentFormModel
{
    public string Name { get; set; } = string.Empty;
    public string Purpose { get; set; } = string.Empty;
    public string Segment { get; set; } = string.Empty;
    public string Tags { get; set; } = string.Empty;
    public List<ToolRowModel> Tools { get; } = [];
    public string Scopes { get; set; } = string.Empty;
    public int RateLimitPerMinute { get; set; } = 60;
    public int? MaxRecordsPerAction { get; set; }
    public decimal? MaxAmountPerAction { get; set; }
    public string? Currency { get; set; }
    public long? DailyRecordBudget { get; set; }
    public decimal? DailyAmountBudget { get; set; }
    public string? OwnerId { get; set; }
    public string? BackupOwnerId { get; set; }

    public bool HasAmountCap => MaxAmountPerAction is not null || DailyAmountBudget is not null;

    public static AgentFormModel New()
    {
        var model = new AgentFormModel();
        model.Tools.Add(new ToolRowModel());
        return model;
    }

    public static AgentFormModel From(AgentDraft draft)
    {
        var model = new AgentFormModel
        {
            Name = draft.Name,
            Purpose = draft.Purpose,
            Segment = draft.Segment,
            Tags = string.Join(", ", draft.Tags),
            Scopes = string.Join('\n', draft.Scopes),
            RateLimitPerMinute = draft.RateLimitPerMinute,
            MaxRecordsPerAction = draft.MaxRecordsPerAction,
            MaxAmountPerAction = draft.MaxAmountPerAction,
            Currency = draft.Currency,
            DailyRecordBudget = draft.DailyRecordBudget,
            DailyAmountBudget = draft.DailyAmountBudget,
            OwnerId = draft.OwnerId,
            BackupOwnerId = draft.BackupOwnerId,
        };
        model.Tools.AddRange(draft.Tools.Select(ToolRowModel.From));
        return model;
    }

    public AgentDraft ToDraft() => new()
    {
        Name = Name.Trim(),
        Purpose = Purpose.Trim(),
        Segment = Segment.Trim(),
        Tags = SplitTags(Tags),
        Tools = Tools.Select(t => t.ToDraft()).ToList(),
        Scopes = SplitLines(Scopes),
        RateLimitPerMinute = RateLimitPerMinute,
        MaxRecordsPerAction = MaxRecordsPerAction,
        MaxAmountPerAction = MaxAmountPerAction,
        DailyRecordBudget = DailyRecordBudget,
        DailyAmountBudget = DailyAmountBudget,
        Currency = string.IsNullOrWhiteSpace(Currency) ? null : Currency.Trim().ToUpperInvariant(),
        OwnerId = string.IsNullOrWhiteSpace(OwnerId) ? null : OwnerId,
        BackupOwnerId = string.IsNullOrWhiteSpace(BackupOwnerId) ? null : BackupOwnerId,
    };

    public static IReadOnlyList<string> SplitTags(string? tags) =>
        (tags ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static IReadOnlyList<string> SplitLines(string? text) =>
        (text ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>One editable row of the tools list.</summary>
public sealed class ToolRowModel
{
    public string Name { get; set; } = string.Empty;
    public IReadOnlyCollection<OperationKind> Operations { get; set; } = [];
    public RiskTier Risk { get; set; } = RiskTier.Low;
    public string? ParameterSchema { get; set; }

    public static ToolRowModel From(ToolDraft tool) => new()
    {
        Name = tool.Name,
        Operations = tool.Operations.ToList(),
        Risk = tool.Risk,
        ParameterSchema = tool.ParameterSchema,
    };

    public ToolDraft ToDraft() => new(
        Name.Trim(),
        Operations.Order().ToList(),
        Risk,
        string.IsNullOrWhiteSpace(ParameterSchema) ? null : ParameterSchema.Trim());
}
