namespace Warden.Domain.Rollback;

/// <summary>Where a rollback stands: asked for, its compensating call under way, or answered.</summary>
public enum RollbackState
{
    Requested,
    Running,
    Succeeded,
    Failed,
}

/// <summary>How the compensating action is reached: the tool's signed webhook, or an upstream tool through the MCP gateway.</summary>
public enum RollbackRoute
{
    Webhook,
    Gateway,
}
