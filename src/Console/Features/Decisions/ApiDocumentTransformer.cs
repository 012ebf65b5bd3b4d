using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Hosting;

namespace Warden.Features.Decisions;

/// <summary>
/// The document as a whole: what the API is, the OAuth 2.0 client-credentials scheme with its token
/// URL and scopes, the problem details schema and the catalogue of every problem type.
/// </summary>
internal sealed class ApiDocumentTransformer(IHttpContextAccessor http) : IOpenApiDocumentTransformer
{
    public const string SecuritySchemeName = "oauth2";
    public const string ProblemSchemaName = "Problem";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Warden agent API";
        document.Info.Version = "v1";
        document.Info.Description = Description();
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.OAuth2,
            Description = "OAuth 2.0 client credentials (client secret or private_key_jwt); send the access token as a bearer token.",
            Flows = new OpenApiOAuthFlows
            {
                ClientCredentials = new OpenApiOAuthFlow
                {
                    TokenUrl = TokenUrl(),
                    Scopes = new Dictionary<string, string>
                    {
                        [AutomationClient.ContainmentScope] = "Automation clients: read and trip containments.",
                        [AutomationClient.GrantsScope] = "Tool clients: redeem grants.",
                    },
                },
            },
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchemaName] = ProblemSchema();
        document.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        document.Extensions["x-problem-types"] = new JsonNodeExtension(new JsonArray([.. ApiProblemTypes.All.Select(t => (JsonNode)new JsonObject
        {
            ["type"] = t.Uri,
            ["status"] = t.Status,
            ["title"] = t.Title,
            ["meaning"] = t.Meaning,
        })]));
        return Task.CompletedTask;
    }

    private Uri TokenUrl()
    {
        var request = http.HttpContext?.Request;
        return request is null
            ? new Uri(AgentApi.TokenEndpoint, UriKind.Relative)
            : new Uri($"{request.Scheme}://{request.Host.Value}{request.PathBase.Value}{AgentApi.TokenEndpoint}");
    }

    private static OpenApiSchema ProblemSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details (application/problem+json). Branch on type; detail is for people.",
        Required = new HashSet<string> { "type", "title", "status" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "urn:warden:problem:<code>, one of: " + string.Join(", ", ApiProblemTypes.All.Select(t => t.Uri)) + ".",
            },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "With parameters-invalid: every schema violation by JSON path.",
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["path"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                },
            },
        },
    };

    private static string Description()
    {
        var text = new StringBuilder("""
            Warden decides whether an AI agent may act before it acts, and tools check that it did.

            **Authentication.** Agents (and automation clients) get an access token with OAuth 2.0 client credentials at
            `POST /connect/token` (a client secret, or `private_key_jwt`) and send it as a bearer token. Console cookies are never
            accepted on `/api/*`. Automation clients carry scopes: `containment` (the containment API) or `grants` (grant redemption).

            **Flow.** Ask (`POST /api/v1/decisions` with an `Idempotency-Key`), wait while pending (`GET /api/v1/decisions/{id}?waitSeconds=30`),
            act with the grant, report the outcome (`POST /api/v1/decisions/{id}/outcome`), and have output screened before releasing it
            (`POST /api/v1/decisions/{id}/output`). A grant is a compact JWS (ES256 or RS256) that tools verify offline with the keys at
            `GET /api/v1/grants/keys` and redeem once at `POST /api/v1/grants/redeem`.

            **Errors** are RFC 9457 problem details whose `type` is stable (also listed under `x-problem-types`):

            | type | status | meaning |
            |---|---|---|

            """);
        foreach (var type in ApiProblemTypes.All)
            text.Append("| `").Append(type.Uri).Append("` | ").Append(type.Status).Append(" | ").Append(type.Meaning).Append(" |\n");
        return text.ToString();
    }
}
