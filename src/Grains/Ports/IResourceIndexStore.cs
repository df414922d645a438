namespace Knative.Orleans.Grains.Ports;

/// <summary>
/// Where <see cref="Serving.ResourceIndexGrain"/> keeps its names when the storage offers an index of its own (the
/// embedded SQLite storage: one row per name). Each call is one durable operation: it returns once the change is on
/// disk, and concurrent calls may share one commit. Without a store the grain keeps the names in its grain state.
/// </summary>
public interface IResourceIndexStore
{
    /// <summary>Adds names to index <paramref name="index"/> (idempotent).</summary>
    Task AddAsync(string index, IReadOnlyCollection<string> names, CancellationToken cancellationToken = default);

    /// <summary>Removes a name from index <paramref name="index"/> (idempotent).</summary>
    Task RemoveAsync(string index, string name, CancellationToken cancellationToken = default);

    /// <summary>Whether index <paramref name="index"/> holds <paramref name="name"/> (a point lookup).</summary>
    Task<bool> ContainsAsync(string index, string name, CancellationToken cancellationToken = default);

    /// <summary>All names of index <paramref name="index"/>, sorted ordinally.</summary>
    Task<string[]> ListAsync(string index, CancellationToken cancellationToken = default);
}
