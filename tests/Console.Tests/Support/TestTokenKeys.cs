using System.Security.Cryptography.X509Certificates;
using Warden.Infrastructure.AgentIdentity;

namespace Warden.Tests.Support;

/// <summary>
/// The token signing and encryption keys the test apps load from files, as a deployment that brings
/// its own keys does (<c>AgentIdentity:SigningCertificatePath</c> and <c>EncryptionCertificatePath</c>):
/// two RSA-3072 keys made once per test process instead of at every app start, where generating them
/// took about a second each. Tests about the generated, stored keys start their app without these
/// settings (<see cref="WardenAppFactory.GeneratedTokenKeys"/>).
/// </summary>
internal static class TestTokenKeys
{
    private static readonly Lazy<(string Signing, string Encryption)> Files = new(Create);

    public static string SigningPath => Files.Value.Signing;

    public static string EncryptionPath => Files.Value.Encryption;

    private static (string, string) Create()
    {
        var folder = Directory.CreateTempSubdirectory("warden-test-keys-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Left to the system's temp clean-up.
            }
        };
        return (Write(folder, "signing.pfx", X509KeyUsageFlags.DigitalSignature), Write(folder, "encryption.pfx", X509KeyUsageFlags.KeyEncipherment));
    }

    private static string Write(string folder, string name, X509KeyUsageFlags usage)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, AgentIdentityKeys.NewKey(usage, $"Warden test {name}", TimeProvider.System));
        return path;
    }
}
