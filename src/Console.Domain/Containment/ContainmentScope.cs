namespace Warden.Domain.Containment;

/// <summary>What one trip stops: one agent, every agent of one owner, one segment, or everything.</summary>
public enum ContainmentScope
{
    Agent,
    Owner,
    Segment,
    Global,
}

/// <summary>Who or what tripped it.</summary>
public enum TripSource
{
    Person,
    Breaker,
    Automation,
    Drill,
}
