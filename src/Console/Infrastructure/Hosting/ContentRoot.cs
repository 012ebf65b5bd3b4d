namespace Warden.Infrastructure.Hosting;

/// <summary>
/// The operator's files (appsettings.json, wwwroot/) sit at the repository root. <c>dotnet run</c>
/// starts there; a build started elsewhere finds the root by walking up to Console.sln; a
/// published copy carries both files beside the assembly.
/// </summary>
public static class ContentRoot
{
    public static string Locate()
    {
        var current = Directory.GetCurrentDirectory();
        if (File.Exists(Path.Combine(current, "appsettings.json")) && Directory.Exists(Path.Combine(current, "wwwroot")))
            return current;

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Console.sln")))
                return dir.FullName;
        }
        return AppContext.BaseDirectory;
    }
}
