namespace Warden.Tests.Support;

/// <summary>An app started without demo people: no administrator exists until the set-up link is used.</summary>
public sealed class FirstRunAppFactory : WardenAppFactory
{
    public FirstRunAppFactory()
        : base(new Dictionary<string, string?> { ["Demo:Enabled"] = "false" })
    {
    }
}
