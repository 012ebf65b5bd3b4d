namespace Warden.Infrastructure.Hosting;

/// <summary>
/// On a request body: the JSON properties a caller must send (not null); every other one is optional.
/// The body's C# properties stay nullable so that a missing field gets Warden's own 400 with a clear
/// detail; this states the contract for the OpenAPI document.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ApiRequiredAttribute(params string[] names) : Attribute
{
    public IReadOnlyList<string> Names { get; } = names;
}
