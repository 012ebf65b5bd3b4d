namespace Warden.Infrastructure.Identity;

public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Set by the <c>--demo</c> switch.</summary>
    public bool Enabled { get; set; }

    public string Password { get; set; } = "Warden-Demo-1";
}
