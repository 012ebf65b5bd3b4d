using Microsoft.AspNetCore.Components;

namespace Warden.Features.Agents;

/// <summary>Where a section goes on the agent page: above its actions, beside them, or among the sections below its tools.</summary>
public enum AgentPageSlot
{
    Notices,
    Actions,
    Sections,
}

/// <summary>What the agent page gives a section: the agent as shown, and a callback that reloads it after a change.</summary>
public sealed record AgentPageContext(AgentDetails Agent, EventCallback Reload);

/// <summary>A component of another feature on the agent page: where, in which order, with which parameters, and for whom (null: everyone who sees the agent).</summary>
public sealed record AgentPageSection(
    AgentPageSlot Slot, int Order, Type Component, Func<AgentPageContext, IDictionary<string, object>> Parameters, Func<AgentPageContext, bool>? ShownWhen = null);

/// <summary>
/// The sections other features add to the agent page. The directory ranks below every feature that
/// shows something of an agent, so each of them registers its component here and the page renders
/// them in order with DynamicComponent, without using them.
/// </summary>
public sealed class AgentPageSections(IEnumerable<AgentPageSection> sections)
{
    private readonly AgentPageSection[] _sections = [.. sections.OrderBy(s => s.Order)];

    public IEnumerable<AgentPageSection> In(AgentPageSlot slot) => _sections.Where(s => s.Slot == slot);

    public IEnumerable<AgentPageSection> In(AgentPageSlot slot, AgentPageContext page) =>
        In(slot).Where(s => s.ShownWhen?.Invoke(page) ?? true);
}

public static class AgentPageSectionRegistration
{
    /// <summary>
    /// Shows <typeparamref name="TComponent"/> on the agent page in <paramref name="slot"/>, ordered by
    /// <paramref name="order"/>, to those <paramref name="shownWhen"/> admits (the service behind it checks again).
    /// </summary>
    public static IServiceCollection AddAgentPageSection<TComponent>(this IServiceCollection services, AgentPageSlot slot, int order,
        Func<AgentPageContext, IDictionary<string, object>> parameters, Func<AgentPageContext, bool>? shownWhen = null)
        where TComponent : IComponent =>
        services.AddSingleton(new AgentPageSection(slot, order, typeof(TComponent), parameters, shownWhen));
}
