namespace Warden.Infrastructure.Keys;

/// <summary>A key file an instance kept in its data folder before keys were shared: read once, to import it.</summary>
public static class DataFolderKeyFile
{
    public static byte[]? Read(string dataDirectory, params string[] relativePath)
    {
        var path = Path.Combine([dataDirectory, .. relativePath]);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }
}
