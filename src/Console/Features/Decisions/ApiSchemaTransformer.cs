using System.Reflection;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Warden.Infrastructure.Hosting;

namespace Warden.Features.Decisions;

/// <summary>
/// Schemas as the contract means them: request bodies require only what <see cref="ApiRequiredAttribute"/>
/// names, and amounts are decimals (a generated client must not round money through a double).
/// </summary>
internal sealed class ApiSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if ((Nullable.GetUnderlyingType(type) ?? type) == typeof(decimal))
            schema.Format = "decimal";
        if (type.GetCustomAttribute<ApiRequiredAttribute>() is { } required && schema.Properties is { } properties)
        {
            schema.Required = new HashSet<string>(required.Names, StringComparer.Ordinal);
            foreach (var name in required.Names)
            {
                if (properties.TryGetValue(name, out var property) && property is OpenApiSchema { Type: { } kind } concrete)
                    concrete.Type = kind & ~JsonSchemaType.Null;
            }
        }
        return Task.CompletedTask;
    }
}
