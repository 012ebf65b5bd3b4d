using Scalar.AspNetCore;
using Warden.Domain.People;

namespace Warden.Features.Decisions;

/// <summary>
/// The agent API's OpenAPI document and a readable reference page, for the officers and owners who
/// wire agents to Warden. Only the <c>/api/v1</c> endpoints are described.
/// </summary>
public static class ApiDocumentation
{
    public const string DocumentRoute = "/openapi/{documentName}.json";
    private static readonly string[] Readers = [Roles.SecurityOfficer, Roles.AgentOwner, Roles.Administrator];

    public static IServiceCollection AddApiDocumentation(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Warden agent API";
                document.Info.Version = "v1";
                document.Info.Description =
                    "Agents authenticate with OAuth 2.0 client credentials at /connect/token and send the access token as a bearer token. " +
                    "Errors are RFC 9457 problem details whose type is urn:warden:problem:<code>.";
                return Task.CompletedTask;
            });
        });

    public static IEndpointRouteBuilder MapApiDocumentation(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentRoute).RequireAuthorization(policy => policy.RequireRole(Readers));
        app.MapScalarApiReference("/api-docs", options => options
                .WithTitle("Warden agent API")
                .WithOpenApiRoutePattern(DocumentRoute))
            .RequireAuthorization(policy => policy.RequireRole(Readers));
        return app;
    }
}
