using Warden.Domain;

namespace Warden.Tests.Architecture;

public sealed class DomainDependencyTests
{
    [Theory]
    [InlineData("Microsoft.EntityFrameworkCore")]
    [InlineData("Microsoft.AspNetCore")]
    [InlineData("Warden")]
    public void DomainAssembly_DoesNotReference(string forbiddenPrefix)
    {
        var domain = typeof(Result).Assembly;

        var references = domain.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty).ToList();

        references.ShouldNotContain(
            name => name == forbiddenPrefix || name.StartsWith(forbiddenPrefix + ".", StringComparison.Ordinal),
            $"Warden.Domain references: {string.Join(", ", references)}");
    }
}
