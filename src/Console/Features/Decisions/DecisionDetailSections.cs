using Microsoft.AspNetCore.Components;

namespace Warden.Features.Decisions;

/// <summary>A component of a higher feature shown under one decision's detail; it receives the decision's id as <c>DecisionId</c>.</summary>
public sealed record DecisionDetailSection(int Order, Type Component);

/// <summary>
/// What other features add under a decision's detail (its rollbacks, say). Decisions ranks below
/// them, so each registers its component here and the detail renders them with DynamicComponent.
/// </summary>
public sealed class DecisionDetailSections(IEnumerable<DecisionDetailSection> sections)
{
    public IReadOnlyList<DecisionDetailSection> All { get; } = [.. sections.OrderBy(s => s.Order)];
}

public static class DecisionDetailSectionRegistration
{
    /// <summary>Shows <typeparamref name="TComponent"/> under every decision's detail, ordered by <paramref name="order"/>.</summary>
    public static IServiceCollection AddDecisionDetailSection<TComponent>(this IServiceCollection services, int order)
        where TComponent : IComponent =>
        services.AddSingleton(new DecisionDetailSection(order, typeof(TComponent)));
}
