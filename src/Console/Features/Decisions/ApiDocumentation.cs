using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Scalar.AspNetCore;
using Warden.Domain.People;
using Warden.Infrastructure.AgentIdentity;

namespace Warden.Features.Decisions;

/// <summary>
/// The API's OpenAPI document, public and complete (every agent and tool endpoint, the token
/// endpoint, bodies, responses, problem types and the OAuth 2.0 scheme) so that clients can be
/// generated from it; and a readable reference page over it for the people who wire agents to Warden.
/// </summary>
public static class ApiDocumentation
{
    public const string DocumentRoute = "/openapi/{documentName}.json";
    private static readonly string[] Readers = [Roles.SecurityOfficer, Roles.AgentOwner, Roles.Administrator];

    public static IServiceCollection AddApiDocumentation(this IServiceCollection services)
    {
        // Numbers are documented (and written) as JSON numbers, not "number or numeric string".
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        return services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = description => description.RelativePath is { } path
                && (path.StartsWith("api/v1/", StringComparison.Ordinal) || path == AgentApi.TokenEndpoint.TrimStart('/'));
            // Free JSON (tool parameters, an output under review) is "any value" in place, not a named type.
            options.CreateSchemaReferenceId = type =>
                (Nullable.GetUnderlyingType(type.Type) ?? type.Type) == typeof(JsonElement) ? null : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            options.AddDocumentTransformer<ApiDocumentTransformer>();
            options.AddOperationTransformer<ApiOperationTransformer>();
            options.AddSchemaTransformer<ApiSchemaTransformer>();
        });
    }

    public static IEndpointRouteBuilder MapApiDocumentation(this IEndpointRouteBuilder app)
    {
        // It describes the API and holds no secret: clients are generated from it without a sign-in.
        app.MapOpenApi(DocumentRoute).AllowAnonymous();
        app.MapScalarApiReference("/api-docs", options => options
                .WithTitle("Warden agent API")
                .WithOpenApiRoutePattern(DocumentRoute))
            .RequireAuthorization(policy => policy.RequireRole(Readers));
        return app;
    }
}
