namespace Warden.E2E.Hosting;

/// <summary>The folder holding Console.sln: the app's content root (appsettings.json, wwwroot/).</summary>
internal static class RepositoryRoot
{
    public static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Console.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No Console.sln above {AppContext.BaseDirectory}.");
    }
}
