using Bunit;
using Warden.Features.Policies;
using Warden.Tests.Support;

namespace Warden.Tests.Components;

public sealed class PolicySourceTests(WardenAppFactory app) : ComponentTestBase(app)
{
    [Fact]
    public void PolicySource_NumbersEachLineOnItsOwnLine_WithAGapBeforeTheText()
    {
        var source = Render<PolicySource>(p => p.Add(s => s.Content, "version: \"v1\"\nrules:\n  - id: a"));

        source.Find("[data-testid='policy-source']").TextContent
            .ShouldBe("   1  version: \"v1\"\n   2  rules:\n   3    - id: a\n");
    }
}
