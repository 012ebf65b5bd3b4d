namespace Warden.Domain.Decisions;

/// <summary>What is known, for one request, about undoing its tool's actions; a lookup that failed is <see cref="Unknown"/>.</summary>
public enum ToolCompensation
{
    Unknown,
    None,
    Declared,
}
