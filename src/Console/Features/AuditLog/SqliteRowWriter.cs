using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Warden.Infrastructure.Storage;

namespace Warden.Features.AuditLog;

/// <summary>
/// Writes a group commit's new rows on SQLite with prepared statements, one per table and commit:
/// the decision path's commit without EF Core's save pipeline (change tracking into command batches,
/// and SQL generated again on every save).
/// <para>
/// It writes only inserts of entity types mapped to one table whose values are all known before the
/// insert (no value the database generates). <see cref="TryCollect"/> says whether a context's changes
/// are all of that kind; anything else goes through <c>SaveChanges</c>. The values written are the
/// ones EF Core would write: the model's type mapping converts each value and makes each parameter.
/// Each commit opens a connection from the pool, as a context does, so a database that cannot be
/// opened (moved, replaced, its folder gone) refuses the commit instead of being written past.
/// </para>
/// <para>One caller at a time (the audit writer calls it under its lock).</para>
/// </summary>
public sealed class SqliteRowWriter(DatabaseConnection database, SqliteConnectionPragmas pragmas) : IDisposable
{
    private readonly Dictionary<IEntityType, Insert?> _inserts = [];

    /// <summary>
    /// The rows <paramref name="db"/> would insert, in the order they were added, when every change it
    /// tracks is an insert this writer can make; otherwise null.
    /// </summary>
    public List<(EntityEntry Entry, Insert Insert)>? TryCollect(DbContext db)
    {
        List<(EntityEntry, Insert)> rows = [];
        foreach (var entry in db.ChangeTracker.Entries())
        {
            // Agents are left to SaveChanges, whose interceptor tells the live agent cache what changed.
            if (entry.State != EntityState.Added || entry.Entity is Warden.Domain.Agents.Agent || InsertFor(entry.Metadata) is not { } insert)
                return null;
            rows.Add((entry, insert));
        }
        return rows;
    }

    /// <summary>Inserts <paramref name="rows"/> in one durable transaction; any failure rolls back all of them and throws.</summary>
    public void Write(List<(EntityEntry Entry, Insert Insert)> rows)
    {
        using var connection = new SqliteConnection(database.ConnectionString);
        connection.Open();
        pragmas.Ensure(connection);
        using var transaction = connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
        var commands = new Dictionary<Insert, SqliteCommand>();
        try
        {
            // Principals before dependents, as SaveChanges orders them: a row never precedes the row it refers to.
            foreach (var (entry, insert) in rows.OrderBy(r => r.Insert.Depth))
            {
                if (!commands.TryGetValue(insert, out var command))
                    commands[insert] = command = insert.Prepare(connection, transaction);
                insert.Execute(command, entry);
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

    public void Dispose() => _inserts.Clear();

    private Insert? InsertFor(IEntityType type)
    {
        if (!_inserts.TryGetValue(type, out var insert))
            _inserts[type] = insert = Insert.For(type);
        return insert;
    }

    /// <summary>One entity type's insert: its statement and how each column's value is read.</summary>
    public sealed class Insert
    {
        private readonly string _sql;
        private readonly (IProperty Property, RelationalTypeMapping Mapping, string Parameter)[] _columns;

        private Insert(string sql, (IProperty, RelationalTypeMapping, string)[] columns, int depth)
        {
            _sql = sql;
            _columns = columns;
            Depth = depth;
        }

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

        internal SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction)
        {
            var command = connection.CreateCommand();
            command.CommandText = _sql;
            command.Transaction = transaction;
            return command;
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

        private static string Quote(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

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
}
