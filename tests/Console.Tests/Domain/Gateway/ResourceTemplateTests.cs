using Warden.Domain.Agents;
using Warden.Domain.Gateway;

namespace Warden.Tests.Domain.Gateway;

public sealed class ResourceTemplateTests
{
    private static readonly ResourceTemplate Files = ResourceTemplate.Create("kb/{path}").Value;

    [Theory]
    [InlineData("refunds.md", "kb/refunds.md")]
    [InlineData("/srv/demo/refunds.md", "kb/srv/demo/refunds.md")]
    [InlineData("notes//./2026/a.md", "kb/notes/2026/a.md")]
    [InlineData(".", "kb/.")]
    public void Fill_APathArgument_NamesTheResourceBelowThePrefix(string path, string expected)
    {
        var resource = Files.Fill(name => name == "path" ? path : null);

        resource.Value.ShouldBe(expected);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("notes/../../secrets")]
    public void Fill_APathThatClimbsOut_IsRefused(string path)
    {
        var resource = Files.Fill(_ => path);

        resource.Error.Code.ShouldBe("gateway.argument_not_a_resource");
    }

    [Fact]
    public void Fill_AClimbingPathNeverMatchesANarrowerScope()
    {
        var scope = ResourceScope.Create("kb/public/**").Value;

        var climbed = Files.Fill(_ => "public/../private/salaries.csv");

        climbed.IsFailure.ShouldBeTrue();
        scope.Matches(Files.Fill(_ => "public/faq.md").Value).ShouldBeTrue();
    }

    [Fact]
    public void Fill_AMissingArgument_NamesIt()
    {
        var resource = ResourceTemplate.Create("calc/{a}/{b}").Value.Fill(name => name == "a" ? "2" : null);

        resource.Error.Code.ShouldBe("gateway.argument_missing");
        resource.Error.Message.ShouldContain("'b'");
    }

    [Theory]
    [InlineData("")]
    [InlineData("fs//{path}")]
    [InlineData("fs/{path")]
    [InlineData("fs/../{path}")]
    [InlineData("fs/{1path}")]
    public void Create_AMalformedTemplate_IsRefused(string text)
    {
        var template = ResourceTemplate.Create(text);

        template.Error.Code.ShouldBe("gateway.invalid_template");
    }

    [Fact]
    public void Create_ListsEachPlaceholderOnce()
    {
        var template = ResourceTemplate.Create("repo/{owner}/{name}/{owner}").Value;

        template.Placeholders.ShouldBe(["owner", "name"]);
    }
}
