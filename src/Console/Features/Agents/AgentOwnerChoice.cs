namespace Warden.Features.Agents;

/// <summary>How the form treats the owner: officers choose one, owners register for themselves, edits keep the owner.</summary>
public enum AgentOwnerChoice
{
    Choose,
    Self,
    Fixed,
}
