using System.Net;
using System.Text.Json;
using Warden.Cluster.Tests.Support;

namespace Warden.Cluster.Tests;

/// <summary>What a reverse proxy asks an instance: is it alive, and can it serve (its database answers)?</summary>
[Collection(OneInstanceCollection.Name)]
public sealed class HealthTests(OneInstance one)
{
    [Fact]
    public async Task Liveness_Anonymous_AnswersOkWithATinyJsonBody()
    {
        using var response = await one.Instance.Http.GetAsync(new Uri("healthz", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        body.ShouldBe("""{"status":"ok"}""");
    }

    [Fact]
    public async Task Readiness_WhileTheDatabaseAnswers_IsOkAndNamesTheDatabaseCheck()
    {
        using var response = await one.Instance.Http.GetAsync(new Uri("readyz", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        body.GetProperty("status").GetString().ShouldBe("ok");
        body.GetProperty("checks").GetProperty("database").GetString().ShouldBe("ok");
        body.GetProperty("checks").GetProperty("shared-state").GetString().ShouldBe("ok");
    }
}
