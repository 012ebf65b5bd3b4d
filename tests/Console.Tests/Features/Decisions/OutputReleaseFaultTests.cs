using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Warden.Features.Decisions.Provenance;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Decisions;

/// <summary>The app with a provenance signer that always fails, as a broken key service would.</summary>
public sealed class FailingSignerApp : WardenAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<IProvenanceSigner, FailingSigner>()));
    }

    private sealed class FailingSigner : IProvenanceSigner
    {
        public string Sign(ReleaseClaims claims) => throw new InvalidOperationException("The key service is unreachable.");
    }
}

/// <summary>An output that cannot be given its provenance is withheld and recorded as withheld, never released as it was.</summary>
[Collection(AppCollection.Name)]
public sealed class OutputReleaseFaultTests(FailingSignerApp app) : IClassFixture<FailingSignerApp>
{
    [Fact]
    public async Task ReviewOutput_WhenSigningFails_WithholdsTheOutputAndReleasesNothing()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        using var decided = await DecideAsync(client, Body());
        var action = (await JsonOf(decided)).GetProperty("id").GetString()!;

        using var response = await client.PostAsJsonAsync($"/api/v1/decisions/{action}/output", new { output = OutputScrubbingTests.Leaky }, AgentApiClient.Json,
            TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var answer = await JsonOf(response);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        answer.GetProperty("outcome").GetString().ShouldBe("deny");
        answer.GetProperty("reasons")[0].GetProperty("code").GetString().ShouldBe("output_withheld");
        answer.TryGetProperty("release", out _).ShouldBeFalse();
        OutputScrubbingTests.AssertClean(body);
        using var poll = await client.GetAsync(new Uri($"/api/v1/decisions/{answer.GetProperty("id").GetString()}", UriKind.Relative), TestContext.Current.CancellationToken);
        (await JsonOf(poll)).GetProperty("outcome").GetString().ShouldBe("deny");
    }
}
