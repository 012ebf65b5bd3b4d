using Microsoft.Extensions.AI;

namespace Warden.Client.AI;

/// <summary>Wraps a chat client's tools so that every call the model makes is asked of Warden first.</summary>
public sealed class WardenToolGuard(WardenClient warden, WardenGuardOptions? options = null)
{
    private readonly WardenGuardOptions _options = options ?? new WardenGuardOptions();

    public AIFunction Guard(AIFunction function, WardenToolMapping mapping) =>
        new WardenGuardedFunction(function, mapping, warden, _options);

    /// <summary>
    /// Guards every function in <paramref name="tools"/> by its name in <paramref name="mappings"/>. A
    /// function without a mapping is an error rather than a way around Warden; other tools pass through.
    /// </summary>
    public IList<AITool> GuardAll(IEnumerable<AITool> tools, IReadOnlyDictionary<string, WardenToolMapping> mappings)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(mappings);
        return tools.Select(tool => tool switch
        {
            WardenGuardedFunction guarded => guarded,
            AIFunction function when mappings.TryGetValue(function.Name, out var mapping) => Guard(function, mapping),
            AIFunction function => throw new ArgumentException($"No Warden mapping for the function '{function.Name}'; every function must be mapped.", nameof(mappings)),
            _ => tool,
        }).ToList();
    }
}
