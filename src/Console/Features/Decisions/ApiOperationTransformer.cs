using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Hosting;

namespace Warden.Features.Decisions;

/// <summary>
/// Each operation: the body it reads, the OAuth 2.0 scheme and scope its authorization policy needs,
/// and one problem response per status with the problem types the endpoint declares.
/// </summary>
internal sealed class ApiOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        // The body's schema comes from the API description; only its content type is the endpoint's own.
        if (metadata.OfType<RequestBodyMetadata>().LastOrDefault() is { } body && operation.RequestBody?.Content is { Count: 1 } content
            && !content.ContainsKey(body.ContentType))
        {
            var described = content.Single().Value;
            content.Clear();
            content[body.ContentType] = described;
        }
        operation.Responses ??= new OpenApiResponses();
        var policy = metadata.OfType<IAllowAnonymous>().Any() ? null : metadata.OfType<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null);
        if (policy is not null)
        {
            List<string> scopes = policy switch
            {
                AutomationApi.Policy => [AutomationClient.ContainmentScope],
                ToolApi.Policy => [AutomationClient.GrantsScope],
                _ => [],
            };
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiDocumentTransformer.SecuritySchemeName, context.Document)] = scopes }];
            operation.Responses["401"] = new OpenApiResponse { Description = "No bearer token, or one that is not valid (signature, issuer, audience, lifetime)." };
        }

        // Any endpoint that declares its problems may also meet a database that does not answer (DatabaseFaults).
        var declared = metadata.OfType<ProblemTypesMetadata>().SelectMany(m => m.Types).ToList();
        if (declared.Count > 0)
            declared.Add(ApiProblemTypes.DatabaseUnavailable);
        foreach (var status in declared.Distinct().GroupBy(t => t.Status).OrderBy(g => g.Key))
        {
            var key = status.Key.ToString(CultureInfo.InvariantCulture);
            var types = string.Join("; ", status.Select(t => $"`{t.Uri}`: {t.Meaning}"));
            var existing = operation.Responses.TryGetValue(key, out var response) ? response?.Description : null;
            operation.Responses[key] = new OpenApiResponse
            {
                Description = existing is null ? types : $"{existing} Or a problem: {types}",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ApiDocumentTransformer.ProblemSchemaName, context.Document) },
                },
            };
        }
        return Task.CompletedTask;
    }
}
