using Bunit;
using MudBlazor;
using Warden.Components.Shared;
using Warden.Tests.Support;

namespace Warden.Tests.Components;

public sealed class StatTileTests(WardenAppFactory app) : ComponentTestBase(app)
{
    [Fact]
    public void StatTile_WithLabelAndValue_ShowsBoth()
    {
        var tile = Render<StatTile>(p => p
            .Add(t => t.Label, "Suspended agents")
            .Add(t => t.Value, 1234)
            .Add(t => t.Icon, Icons.Material.Filled.Pause)
            .Add(t => t.TestId, "tile-suspended"));

        tile.Find("[data-testid='tile-suspended-value']").TextContent.Trim().ShouldBe("1234");
        tile.Find("[data-testid='tile-suspended']").TextContent.ShouldContain("Suspended agents");
    }

    [Fact]
    public void StatTile_WithText_ShowsTheTextInsteadOfTheValue()
    {
        var tile = Render<StatTile>(p => p
            .Add(t => t.Label, "Last upkeep")
            .Add(t => t.Value, 7)
            .Add(t => t.Text, "never")
            .Add(t => t.Icon, Icons.Material.Filled.Schedule)
            .Add(t => t.TestId, "tile-upkeep"));

        tile.Find("[data-testid='tile-upkeep-value']").TextContent.Trim().ShouldBe("never");
    }
}
