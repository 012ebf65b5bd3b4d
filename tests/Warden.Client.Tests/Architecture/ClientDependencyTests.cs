using System.Xml.Linq;

namespace Warden.Client.Tests.Architecture;

/// <summary>The client library stands alone: an agent or a tool installs it without the console.</summary>
public sealed class ClientDependencyTests
{
    [Fact]
    public void WardenClient_ReferencesNoAssemblyOfTheConsole()
    {
        var references = typeof(WardenClient).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        references.ShouldNotContain("Warden");
        references.ShouldNotContain("Warden.Domain");
        references.Where(name => name!.StartsWith("Warden", StringComparison.Ordinal)).ShouldBeEmpty();
    }

    [Fact]
    public void WardenClientProject_HasNoProjectReferences()
    {
        var project = XDocument.Load(Path.Combine(RepositoryRoot(), "src", "Warden.Client", "Warden.Client.csproj"));

        project.Descendants("ProjectReference").ShouldBeEmpty();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Console.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No Console.sln above {AppContext.BaseDirectory}.");
    }
}
