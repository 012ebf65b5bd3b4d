using Microsoft.AspNetCore.Components;

namespace Warden.Features.Containment;

/// <summary>A component of a higher feature offered beside a containment of one agent; it receives <c>AgentId</c> and <c>AgentName</c>.</summary>
public sealed record ContainmentAgentAction(int Order, Type Component);

/// <summary>
/// What other features offer on a containment of one agent (rolling back its recent actions, say).
/// Containment ranks below them, so each registers its component here and the page renders them with DynamicComponent.
/// </summary>
public sealed class ContainmentAgentActions(IEnumerable<ContainmentAgentAction> actions)
{
    public IReadOnlyList<ContainmentAgentAction> All { get; } = [.. actions.OrderBy(a => a.Order)];
}

public static class ContainmentAgentActionRegistration
{
    /// <summary>Offers <typeparamref name="TComponent"/> on every active containment of one agent, ordered by <paramref name="order"/>.</summary>
    public static IServiceCollection AddContainmentAgentAction<TComponent>(this IServiceCollection services, int order)
        where TComponent : IComponent =>
        services.AddSingleton(new ContainmentAgentAction(order, typeof(TComponent)));
}
