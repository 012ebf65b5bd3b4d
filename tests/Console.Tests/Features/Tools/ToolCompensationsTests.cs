using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.Domain.Decisions;
using Warden.Features.Tools;
using Warden.Persistence;

namespace Warden.Tests.Features.Tools;

/// <summary>What level 2 learns about a tool when the hook store cannot be read: nothing it could mistake for a rollback.</summary>
public sealed class ToolCompensationsTests
{
    private static ToolCompensations Failing() => new(new ToolHooks(new DownDatabase()), NullLogger<ToolCompensations>.Instance);

    private sealed class DownDatabase : IDbContextFactory<WardenDbContext>
    {
        public WardenDbContext CreateDbContext() => throw new InvalidOperationException("database down");
    }

    [Fact]
    public async Task OfAsync_WhenTheHooksCannotBeRead_AnswersUnknown()
    {
        var compensation = await Failing().OfAsync("orders.refund", TestContext.Current.CancellationToken);

        compensation.ShouldBe(ToolCompensation.Unknown);
    }

    [Fact]
    public async Task AllAsync_WhenTheHooksCannotBeRead_AnswersNull()
    {
        var all = await Failing().AllAsync(TestContext.Current.CancellationToken);

        all.ShouldBeNull();
    }
}
