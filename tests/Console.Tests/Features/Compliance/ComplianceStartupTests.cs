using Warden.Features.Compliance;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Compliance;

/// <summary>An operator's mapping file that names an unknown control stops the app at start, naming the file and line.</summary>
[Collection(AppCollection.Name)]
public sealed class ComplianceStartupTests
{
    [Fact]
    public async Task Start_WithAMappingThatNamesAnUnknownControl_FailsWithOneLineGivingFileAndLine()
    {
        var folder = Directory.CreateTempSubdirectory("warden-mappings-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "internal.yaml"), """
                framework:
                  id: internal
                  name: Internal controls
                  source: { document: Internal control set, version: "1", url: https://example.com/controls }
                requirements:
                  - id: IC-1
                    title: Stops are tested
                    clause: IC-1
                    controls:
                      - containment
                      - kill-switch-drill
                """, TestContext.Current.CancellationToken);
            await using var app = WardenAppFactory.With(new Dictionary<string, string?> { ["Compliance:MappingFolder"] = folder });

            var error = Should.Throw<ComplianceCatalogException>(() => app.Services);

            error.Message.ShouldBe("internal.yaml line 11: requirement 'IC-1' names unknown control 'kill-switch-drill'.");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
