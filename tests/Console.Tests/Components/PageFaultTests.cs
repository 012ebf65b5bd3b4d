using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Data.Sqlite;
using Warden.Components.Layout;
using Warden.Tests.Support;

namespace Warden.Tests.Components;

/// <summary>A console action that fails on the database says so on the page, as MainLayout wraps every page.</summary>
public sealed class PageFaultTests(WardenAppFactory app) : ComponentTestBase(app)
{
    [Fact]
    public void Action_WhenTheDatabaseIsLocked_ShowsAReadableMessageInsteadOfThePage()
    {
        var page = Render<ErrorBoundary>(p => p
            .Add(b => b.ChildContent, Content)
            .Add(b => b.ErrorContent, error => builder =>
            {
                builder.OpenComponent<PageFault>(0);
                builder.AddComponentParameter(1, nameof(PageFault.Error), error);
                builder.CloseComponent();
            }));

        page.Find("[data-testid='failing-action']").Click();

        page.Find("[data-testid='page-fault']").TextContent.ShouldContain("The database is not answering, so this was not done");
        page.FindAll("[data-testid='failing-action']").ShouldBeEmpty();
    }

    [Fact]
    public void Message_ForAFaultThatIsNotTheDatabase_SaysSomethingWentWrong()
    {
        var message = PageFault.Message(new InvalidOperationException("bug"));

        message.ShouldStartWith("Something went wrong on this page");
    }

    private static void Content(RenderTreeBuilder builder)
    {
        builder.OpenComponent<FailingAction>(0);
        builder.CloseComponent();
    }

    private sealed class FailingAction : ComponentBase
    {
        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "button");
            builder.AddAttribute(1, "data-testid", "failing-action");
            builder.AddAttribute(2, "onclick", EventCallback.Factory.Create<MouseEventArgs>(this, Fail));
            builder.CloseElement();
        }

        private static Task Fail() => throw new SqliteException("database is locked", 5);
    }
}
