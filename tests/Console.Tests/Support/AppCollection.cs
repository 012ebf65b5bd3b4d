namespace Warden.Tests.Support;

/// <summary>
/// Every test class that starts the app belongs here. Hangfire keeps its configuration in static
/// state, so two app hosts must never start at the same time; each class still gets its own
/// <see cref="WardenAppFactory"/> and with it its own SQLite file.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AppCollection
{
    public const string Name = "Warden app";
}
