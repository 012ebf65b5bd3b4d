namespace Warden.Cluster.Tests.Support;

/// <summary>The folder holding Console.sln: the app's content root (appsettings.json, wwwroot/).</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Located = new(Locate);

    public static string Path => Located.Value;

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Console.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No Console.sln above {AppContext.BaseDirectory}.");
    }
}
