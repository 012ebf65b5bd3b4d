using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Warden.Infrastructure.Storage;

namespace Warden.Features.AuditLog;

/// <summary>
/// Writes a group commit's rows on SQLite with prepared statements, one per table (and, for updates,
/// per set of changed columns) and commit: the decision path's commit, and an outcome's with the review
/// it commits with, without EF Core's save pipeline (change tracking into command batches, and SQL
/// generated again on every save).
/// <para>
/// It writes inserts of entity types mapped to one table whose values are all known before the insert
/// (no value the database generates), and updates of such rows: the columns marked modified, by key,
/// checked against the original value of every concurrency token, so an update that finds its row
/// changed since it was read fails as <c>SaveChanges</c> fails it (<see cref="DbUpdateConcurrencyException"/>).
/// <see cref="TryCollect"/> says whether a context's changes are all of that kind; anything else goes
/// through <c>SaveChanges</c>. The values written are the ones EF Core would write: the model's type
/// mapping converts each value and makes each parameter.
/// Each commit opens a connection from the pool, as a context does, so a database that cannot be
/// opened (moved, replaced, its folder gone) refuses the commit instead of being written past.
/// </para>
/// <para>One caller at a time (the audit writer calls it under its lock).</para>
/// </summary>
public sealed class SqliteRowWriter(DatabaseConnection database, SqliteConnectionPragmas pragmas) : IDisposable
{
    private readonly Dictionary<IEntityType, Insert?> _inserts = [];
    private readonly Dictionary<(IEntityType, string), Update?> _updates = [];
    private readonly Dictionary<IEntityType, bool> _navigates = [];

    /// <summary>
    /// The rows <paramref name="db"/> would insert, in the order they were added, and those it would
    /// update, when every change it tracks is one this writer can make; otherwise null.
    /// </summary>
    public Rows? TryCollectRows(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var tracker = db.ChangeTracker;
        var auto = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            if (auto && NeedsDetection(tracker))
                tracker.DetectChanges();
            return Collect(tracker);
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = auto;
        }
    }

    /// <summary>
    /// Whether detecting changes could alter what is written. New rows of types without navigations
    /// are written from their current values whatever detection would find (it can find no row to add
    /// through them), so a commit of only such rows skips it; any other entry needs it, as for SaveChanges.
    /// </summary>
    private bool NeedsDetection(ChangeTracker tracker)
    {
        foreach (var entry in tracker.Entries())
        {
            if (entry.State != EntityState.Added || HasNavigations(entry.Metadata))
                return true;
        }
        return false;
    }

    private bool HasNavigations(IEntityType type)
    {
        if (!_navigates.TryGetValue(type, out var navigates))
            _navigates[type] = navigates = type.GetNavigations().Any() || type.GetSkipNavigations().Any();
        return navigates;
    }

    private Rows? Collect(ChangeTracker tracker)
    {
        var rows = new Rows();
        foreach (var entry in tracker.Entries())
        {
            // Agents are left to SaveChanges, whose interceptor tells the live agent cache what changed.
            if (entry.Entity is Warden.Domain.Agents.Agent)
                return null;
            switch (entry.State)
            {
                case EntityState.Unchanged:
                    continue;
                case EntityState.Added when InsertFor(entry.Metadata) is { } insert:
                    rows.Inserts.Add((entry, insert));
                    continue;
                case EntityState.Modified when UpdateFor(entry) is { } update:
                    rows.Updates.Add((entry, update));
                    continue;
                default:
                    return null;
            }
        }
        return rows;
    }

    /// <summary>
    /// Writes <paramref name="rows"/> in one durable transaction, the inserts first (principals before
    /// dependents), then the updates; any failure rolls back all of them and throws.
    /// </summary>
    public void Write(Rows rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var connection = new SqliteConnection(database.ConnectionString);
        connection.Open();
        pragmas.Ensure(connection);
        using var transaction = connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
        var commands = new Dictionary<object, SqliteCommand>();
        try
        {
            // Principals before dependents, as SaveChanges orders them: a row never precedes the row it refers to.
            foreach (var (entry, insert) in rows.Inserts.OrderBy(r => r.Insert.Depth))
            {
                if (!commands.TryGetValue(insert, out var command))
                    commands[insert] = command = Prepare(connection, transaction, insert.Sql);
                insert.Execute(command, entry);
            }
            foreach (var (entry, update) in rows.Updates)
            {
                if (!commands.TryGetValue(update, out var command))
                    commands[update] = command = Prepare(connection, transaction, update.Sql);
                update.Execute(command, entry);
            }
            transaction.Commit();
        }
        catch (SqliteException ex)
        {
            // Callers read a refused write as SaveChanges reports one (a unique key taken by a concurrent request, say).
            throw new DbUpdateException(ex.Message, ex);
        }
        finally
        {
            foreach (var command in commands.Values)
                command.Dispose();
        }
    }

    public void Dispose()
    {
        _inserts.Clear();
        _updates.Clear();
        _navigates.Clear();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private Insert? InsertFor(IEntityType type)
    {
        if (!_inserts.TryGetValue(type, out var insert))
            _inserts[type] = insert = Insert.For(type);
        return insert;
    }

    private Update? UpdateFor(EntityEntry entry)
    {
        var type = entry.Metadata;
        var changed = entry.Properties.Where(p => p.IsModified).Select(p => p.Metadata).ToList();
        if (changed.Count == 0)
            return null;
        // The changed columns name the statement: a type updated the same way each time has one.
        var key = (type, string.Join(',', changed.Select(p => p.Name)));
        if (!_updates.TryGetValue(key, out var update))
            _updates[key] = update = InsertFor(type) is null ? null : Update.For(type, changed);
        return update;
    }

    /// <summary>What one commit writes: rows to insert, rows to update.</summary>
    public sealed class Rows
    {
        public List<(EntityEntry Entry, Insert Insert)> Inserts { get; } = [];

        public List<(EntityEntry Entry, Update Update)> Updates { get; } = [];
    }

    /// <summary>
    /// One entity type's update of one set of columns: <c>UPDATE ... SET</c> the changed columns
    /// <c>WHERE</c> the key and every concurrency token hold their original values. Only for types whose
    /// inserts this writer makes (one table, no generated values); never of a key column.
    /// </summary>
    public sealed class Update
    {
        private readonly (IProperty Property, RelationalTypeMapping Mapping, string Parameter, bool Original)[] _columns;

        private Update(string sql, (IProperty, RelationalTypeMapping, string, bool)[] columns)
        {
            Sql = sql;
            _columns = columns;
        }

        internal string Sql { get; }

        public static Update? For(IEntityType type, IReadOnlyList<IProperty> changed)
        {
            if (type.GetTableName() is not { } table || type.FindPrimaryKey() is not { } key || changed.Any(p => p.IsKey()))
                return null;
            var store = StoreObjectIdentifier.Table(table, type.GetSchema());
            var columns = new List<(IProperty, RelationalTypeMapping, string, bool)>();
            var set = new List<string>();
            var where = new List<string>();
            foreach (var property in changed)
            {
                if (property.GetColumnName(store) is not { } column || property.GetRelationalTypeMapping() is not { } mapping)
                    return null;
                set.Add($"{Quote(column)} = @p{columns.Count}");
                columns.Add((property, mapping, $"@p{columns.Count}", false));
            }
            foreach (var property in key.Properties.Concat(type.GetProperties().Where(p => p.IsConcurrencyToken && !p.IsKey())))
            {
                if (property.GetColumnName(store) is not { } column || property.GetRelationalTypeMapping() is not { } mapping)
                    return null;
                // A nullable concurrency token that was null is matched with IS NULL, as EF Core does.
                where.Add(property.IsNullable ? $"{Quote(column)} IS @p{columns.Count}" : $"{Quote(column)} = @p{columns.Count}");
                columns.Add((property, mapping, $"@p{columns.Count}", true));
            }
            return new Update($"UPDATE {Quote(table)} SET {string.Join(", ", set)} WHERE {string.Join(" AND ", where)};", [.. columns]);
        }

        internal void Execute(SqliteCommand command, EntityEntry entry)
        {
            command.Parameters.Clear();
            foreach (var (property, mapping, name, original) in _columns)
            {
                var stored = entry.Property(property.Name);
                var value = original ? stored.OriginalValue : stored.CurrentValue;
                command.Parameters.Add(mapping.CreateParameter(command, name, value, property.IsNullable));
            }
            if (command.ExecuteNonQuery() != 1)
                throw new DbUpdateConcurrencyException(
                    $"The update of {entry.Metadata.GetTableName()} found no row with its key and the version it was read at: it changed or was deleted since.");
        }
    }

    /// <summary>One entity type's insert: its statement and how each column's value is read.</summary>
    public sealed class Insert
    {
        private readonly (IProperty Property, RelationalTypeMapping Mapping, string Parameter)[] _columns;

        private Insert(string sql, (IProperty, RelationalTypeMapping, string)[] columns, int depth)
        {
            Sql = sql;
            _columns = columns;
            Depth = depth;
        }

        internal string Sql { get; }

        /// <summary>How many foreign keys deep the type is: rows are written shallowest first.</summary>
        public int Depth { get; }

        /// <summary>The insert for <paramref name="type"/>, or null when this writer cannot make it as EF Core would.</summary>
        public static Insert? For(IEntityType type)
        {
            // Owned rows (an approval's votes) are their own entries in their own table; an owned type
            // sharing this table (table splitting) would need its columns merged in, so it is left to SaveChanges.
            if (type.GetTableName() is not { } table || type.BaseType is not null || type.GetDerivedTypes().Any() || type.IsOwned()
                || type.GetNavigations().Any(n => n.TargetEntityType.IsOwned() && n.TargetEntityType.GetTableName() == table)
                || type.GetComplexProperties().Any())
                return null;
            var store = StoreObjectIdentifier.Table(table, type.GetSchema());
            var columns = new List<(IProperty, RelationalTypeMapping, string)>();
            foreach (var property in type.GetProperties())
            {
                if (property.ValueGenerated != ValueGenerated.Never || property.GetColumnName(store) is not { } column
                    || property.GetComputedColumnSql(store) is not null || property.GetRelationalTypeMapping() is not { } mapping)
                    return null;
                columns.Add((property, mapping, $"@p{columns.Count}"));
            }
            var names = string.Join(", ", columns.Select(c => Quote(c.Item1.GetColumnName(store)!)));
            var values = string.Join(", ", columns.Select(c => c.Item3));
            var sql = $"INSERT INTO {Quote(table)} ({names}) VALUES ({values});";
            return new Insert(sql, [.. columns], DepthOf(type, []));
        }

        internal void Execute(SqliteCommand command, EntityEntry entry)
        {
            command.Parameters.Clear();
            var entity = entry.Entity;
            foreach (var (property, mapping, name) in _columns)
            {
                var value = property.IsShadowProperty() ? entry.Property(property.Name).CurrentValue : property.GetGetter().GetClrValueUsingContainingEntity(entity);
                // The mapping converts the value (its converter, an enum's number) and types the parameter, as it does for SaveChanges.
                command.Parameters.Add(mapping.CreateParameter(command, name, value, property.IsNullable));
            }
            if (command.ExecuteNonQuery() != 1)
                throw new DbUpdateException($"The insert into {entry.Metadata.GetTableName()} wrote no row.");
        }

        private static int DepthOf(IEntityType type, HashSet<IEntityType> seen)
        {
            if (!seen.Add(type))
                return 0;
            var depth = 0;
            foreach (var key in type.GetForeignKeys())
            {
                if (key.PrincipalEntityType != type)
                    depth = Math.Max(depth, 1 + DepthOf(key.PrincipalEntityType, seen));
            }
            seen.Remove(type);
            return depth;
        }
    }

    private static string Quote(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
