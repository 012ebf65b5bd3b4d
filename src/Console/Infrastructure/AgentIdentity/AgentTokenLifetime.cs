namespace Warden.Infrastructure.AgentIdentity;

/// <summary>How long an agent's access tokens live: minutes, default 5, at most 60.</summary>
public static class AgentTokenLifetime
{
    public const int DefaultMinutes = 5;
    public const int MaxMinutes = 60;

    public static bool IsValid(int minutes) => minutes is >= 1 and <= MaxMinutes;
}
