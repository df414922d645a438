using Knative.Orleans.Grains.Ports;
using Microsoft.Data.Sqlite;

namespace Knative.Orleans.Silo.Storage;

/// <summary>
/// <see cref="IResourceIndexStore"/> in the grain storage's own database: table <c>resource_index</c>, one row per
/// (index, name). Changes go through the storage's writer, so they share its group commits and its durability (a change
/// is acknowledged only after its commit); a create therefore writes one small row, whatever the size of the index.
/// </summary>
public sealed class SqliteResourceIndexStore(SqliteGrainStorage storage) : IResourceIndexStore
{
    /// <inheritdoc />
    public Task AddAsync(string index, IReadOnlyCollection<string> names, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(names);
        return storage.ExecuteWriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO resource_index (index_key, name) VALUES ($index, $name) ON CONFLICT DO NOTHING;";
            command.Parameters.AddWithValue("$index", index);
            var name = command.Parameters.Add("$name", SqliteType.Text);
            foreach (var n in names)
            {
                name.Value = n;
                command.ExecuteNonQuery();
            }

            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task RemoveAsync(string index, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(name);
        return storage.ExecuteWriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM resource_index WHERE index_key = $index AND name = $name;";
            command.Parameters.AddWithValue("$index", index);
            command.Parameters.AddWithValue("$name", name);
            return command.ExecuteNonQuery();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> ContainsAsync(string index, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(name);
        await storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        using var connection = storage.OpenReader();
        using var command = connection.CreateCommand();
        // The primary key (index_key, name) makes this one index probe.
        command.CommandText = "SELECT 1 FROM resource_index WHERE index_key = $index AND name = $name;";
        command.Parameters.AddWithValue("$index", index);
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc />
    public async Task<string[]> ListAsync(string index, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        await storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        using var connection = storage.OpenReader();
        using var command = connection.CreateCommand();
        // BINARY collation on UTF-8 is code-point order, which is ordinal order for the DNS names stored here.
        command.CommandText = "SELECT name FROM resource_index WHERE index_key = $index ORDER BY name;";
        command.Parameters.AddWithValue("$index", index);
        var names = new List<string>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return [.. names];
    }
}
