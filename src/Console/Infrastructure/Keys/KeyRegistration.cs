using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Warden.Infrastructure.Storage;
using Warden.Persistence;

namespace Warden.Infrastructure.Keys;

public static class KeyRegistration
{
    /// <summary>The one application name under which every instance protects and unprotects data.</summary>
    public const string ApplicationName = "Warden";

    /// <summary>The key-encryption key (resolved now, so a missing or malformed one stops start-up), the shared key store and the Data Protection key ring in the database.</summary>
    public static IServiceCollection AddWardenKeys(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(KeyOptions.SectionName).Get<KeyOptions>() ?? new KeyOptions();
        var database = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var kek = KeyEncryptionKey.Resolve(options, StorageRegistration.ResolveConnection(database, environment.ContentRootPath));
        services.AddSingleton(kek);
        if (KeyEncryptionKey.Previous(options) is { } previous)
            services.AddSingleton(new PreviousKeyEncryptionKey(previous));
        services.AddSingleton<KeyStore>();
        services.AddSingleton<DataProtectionImport>();

        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<WardenDbContext>();
        services.Configure<KeyManagementOptions>(management => management.XmlEncryptor = new DataProtectionKeySealer(kek));
        return services;
    }

    /// <summary>At start-up, after migrations: the data folder's old gateway key ring is imported, every stored key must open, then every holder loads its keys.</summary>
    public static async Task PrepareKeysAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<DataProtectionImport>().ImportAsync(cancellationToken);
        await services.GetRequiredService<KeyStore>().CheckAsync(cancellationToken);
        foreach (var user in services.GetServices<IStoredKeyUser>())
            user.LoadKeys();
    }

    /// <summary>Registers <typeparamref name="T"/> (already registered as a singleton) as a holder of stored keys, loaded at start-up.</summary>
    public static IServiceCollection AddStoredKeyUser<T>(this IServiceCollection services)
        where T : class, IStoredKeyUser
    {
        services.AddSingleton<IStoredKeyUser>(sp => sp.GetRequiredService<T>());
        return services;
    }
}
