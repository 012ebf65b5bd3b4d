using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Warden.Bench;

public sealed record CapturedCommand(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters, TimeSpan Duration);

/// <summary>Keeps the SQL each service call sends, with its parameters and how long SQLite took to start returning rows.</summary>
public sealed class CommandCapture : DbCommandInterceptor
{
    private readonly List<CapturedCommand> _commands = [];

    /// <summary>A copy: background work (session revalidation) may add commands meanwhile.</summary>
    public IReadOnlyList<CapturedCommand> Commands
    {
        get
        {
            lock (_commands)
                return [.. _commands];
        }
    }

    public void Clear()
    {
        lock (_commands)
            _commands.Clear();
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Record(command, eventData.Duration);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<object?> ScalarExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Record(command, eventData.Duration);
        return ValueTask.FromResult(result);
    }

    private void Record(DbCommand command, TimeSpan duration)
    {
        var parameters = command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList();
        lock (_commands)
            _commands.Add(new CapturedCommand(command.CommandText, parameters, duration));
    }
}
