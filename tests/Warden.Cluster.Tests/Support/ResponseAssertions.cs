using System.Text.Json;

namespace Warden.Cluster.Tests.Support;

public static class ResponseAssertions
{
    /// <summary>The response is <paramref name="status"/> with a JSON body, which is returned.</summary>
    public static async Task<JsonElement> ShouldBeJsonAsync(this HttpResponseMessage response, int status, WardenInstance instance)
    {
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(status, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered: {body}\n{instance.Output}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The response is an RFC 9457 problem (application/problem+json) of the given status and Warden type.</summary>
    public static Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, int status, string type, WardenInstance instance) =>
        response.ShouldBeProblemAsync(status, [type], instance);

    /// <summary>The response is an RFC 9457 problem of the given status and one of the Warden types.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, int status, string[] types, WardenInstance instance)
    {
        var body = await response.Content.ReadAsStringAsync();
        var what = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode} " +
                   $"{response.Content.Headers.ContentType}: {body}\n{instance.Output}";
        ((int)response.StatusCode).ShouldBe(status, what);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", what);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        problem.GetProperty("type").GetString().ShouldBeOneOf(types.Select(t => "urn:warden:problem:" + t).ToArray(), what);
        return problem;
    }
}
