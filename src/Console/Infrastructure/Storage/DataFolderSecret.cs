using System.Security.Cryptography;

namespace Warden.Infrastructure.Storage;

/// <summary>
/// A key file generated once into the data folder, readable by the owner only. Two instances that
/// race to create it both end up with the one that was written first.
/// </summary>
public static class DataFolderSecret
{
    public static byte[] LoadOrCreate(string dataDirectory, string fileName, int length)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, fileName);
        if (File.Exists(path))
            return File.ReadAllBytes(path);
        var key = RandomNumberGenerator.GetBytes(length);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var file = new FileStream(path, options);
            file.Write(key);
            file.Flush(flushToDisk: true);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }
    }
}
