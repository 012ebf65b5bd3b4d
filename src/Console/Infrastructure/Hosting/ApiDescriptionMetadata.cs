using Microsoft.AspNetCore.Http.Metadata;

namespace Warden.Infrastructure.Hosting;

/// <summary>Endpoint metadata: the problem types an endpoint may answer with, for its OpenAPI description.</summary>
public sealed record ProblemTypesMetadata(IReadOnlyList<ApiProblemType> Types);

/// <summary>
/// Endpoint metadata: the request body an endpoint reads itself, for its API description. Unlike
/// <c>Accepts</c> it names no content type to routing, which would otherwise answer a wrong one with 415
/// before authorization: a caller without a valid token still gets 401 first, and the endpoint its own 415.
/// </summary>
public sealed record RequestBodyMetadata(Type Type, string ContentType) : IAcceptsMetadata
{
    IReadOnlyList<string> IAcceptsMetadata.ContentTypes => [];

    Type? IAcceptsMetadata.RequestType => Type;

    bool IAcceptsMetadata.IsOptional => false;
}

public static class ApiDescriptionExtensions
{
    public static RouteHandlerBuilder DescribesBody<TBody>(this RouteHandlerBuilder builder, string contentType) =>
        builder.WithMetadata(new RequestBodyMetadata(typeof(TBody), contentType));

    public static TBuilder ProducesProblemTypes<TBuilder>(this TBuilder builder, params ApiProblemType[] types)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProblemTypesMetadata(types));
}
