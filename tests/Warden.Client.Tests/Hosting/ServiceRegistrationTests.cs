using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Warden.Client.Tests.Support;

namespace Warden.Client.Tests.Hosting;

/// <summary><c>services.AddWardenClient(...)</c> as an agent's host would call it.</summary>
public sealed class ServiceRegistrationTests(WardenHost host)
{
    [Fact]
    public async Task AddWardenClient_GivesOneClientOnTheFactorysHttpClientThatAsksWarden()
    {
        var services = new ServiceCollection();
        services.AddWardenClient(o =>
        {
            o.BaseAddress = host.BaseAddress;
            o.ClientId = WardenHost.Support;
            o.ClientSecret = WardenHost.DemoSecret;
        });
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var client = provider.GetRequiredService<WardenClient>();
        var decision = await client.AskAsync(WardenAsk.For("tickets.read", "read", "helpdesk/tickets/77"), cancellationToken: TestContext.Current.CancellationToken);

        provider.GetRequiredService<WardenClient>().ShouldBeSameAs(client);
        decision.Outcome.ShouldBe(WardenVerdict.Allow);
    }

    [Fact]
    public async Task AddWardenClient_WithoutCredentials_FailsValidation()
    {
        var services = new ServiceCollection();
        services.AddWardenClient(o => o.BaseAddress = host.BaseAddress);
        await using var provider = services.BuildServiceProvider();

        Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<WardenClientOptions>>().Value);
    }

    [Fact]
    public async Task AddWardenGrantVerifier_GivesAVerifier()
    {
        var services = new ServiceCollection();
        services.AddWardenGrantVerifier(o => o.BaseAddress = host.BaseAddress);
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<GrantVerifier>().ShouldBeSameAs(provider.GetRequiredService<GrantVerifier>());
    }
}
