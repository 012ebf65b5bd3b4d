using ModelContextProtocol.Protocol;
using Warden.Domain.Agents;
using Warden.Features.Agents;

namespace Warden.Features.Gateway;

/// <summary>
/// <c>tools/list</c> for one agent: the mapped tools whose Warden tool and operation the agent
/// declares, each with its upstream's description and input schema. An upstream that cannot be
/// reached lists nothing (its health says why); the others still do.
/// </summary>
public sealed class GatewayTools(GatewayCatalog catalog, UpstreamConnections connections, LiveAgents agents)
{
    public async Task<ListToolsResult> ListAsync(string agentId, CancellationToken cancellationToken)
    {
        var agent = AgentId.TryParse(agentId, out var id) ? await agents.GetAsync(id, cancellationToken) : null;
        var listed = new List<Tool>();
        if (agent is null)
            return new ListToolsResult { Tools = listed };
        foreach (var upstream in await catalog.GetAsync(cancellationToken))
        {
            var callable = upstream.Mappings.Where(m => Declares(agent, m.WardenTool, m.Operation)).ToList();
            if (callable.Count == 0)
                continue;
            var offered = await connections.ToolsAsync(upstream, cancellationToken);
            if (offered.IsFailure)
                continue;
            foreach (var mapping in callable)
            {
                if (offered.Value.FirstOrDefault(t => t.Name == mapping.UpstreamTool) is { } tool)
                    listed.Add(new Tool
                    {
                        Name = mapping.ExposedName,
                        Title = tool.Title,
                        Description = tool.Description,
                        InputSchema = tool.InputSchema,
                        OutputSchema = tool.OutputSchema,
                        Annotations = tool.Annotations,
                    });
            }
        }
        return new ListToolsResult { Tools = listed };
    }

    internal static bool Declares(Agent agent, string wardenTool, OperationKind operation) =>
        agent.Tools.Any(t => t.Name == wardenTool && t.Operations.Contains(operation));
}
