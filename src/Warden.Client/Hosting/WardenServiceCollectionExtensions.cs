using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Warden.Client;

public static class WardenServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="WardenClient"/> (a singleton that caches the agent's tokens) on a named
    /// <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/>. The returned builder adds
    /// handlers or a primary handler to that client.
    /// </summary>
    public static IHttpClientBuilder AddWardenClient(this IServiceCollection services, Action<WardenClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<WardenClientOptions>()
            .Configure(configure)
            .Validate(Valid, "Warden client options are incomplete: BaseAddress, ClientId and a secret or a private key are required.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WardenClient>();
        // Retries and timeouts are the client's own (they depend on what each call may repeat).
        return services.AddHttpClient(WardenClient.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
    }

    /// <summary>Registers <see cref="GrantVerifier"/> for a tool that checks the grants agents show it.</summary>
    public static IHttpClientBuilder AddWardenGrantVerifier(this IServiceCollection services, Action<GrantVerifierOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<GrantVerifierOptions>().Configure(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new GrantVerifier(
            sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<IOptions<GrantVerifierOptions>>(), sp.GetRequiredService<TimeProvider>()));
        return services.AddHttpClient(GrantVerifier.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
    }

    private static bool Valid(WardenClientOptions options)
    {
        try
        {
            options.Validate();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
