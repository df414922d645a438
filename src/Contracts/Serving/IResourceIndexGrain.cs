namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// The names of one kind of resource in one namespace, keyed <c>{kind}/{namespace}</c> (for example <c>services/default</c>).
/// Used to list resources; an entry may outlive its object briefly after a crash, so listers skip names that no longer resolve.
/// </summary>
[Alias("kn.IResourceIndexGrain")]
public interface IResourceIndexGrain : IGrainWithStringKey
{
    /// <summary>Adds a name (idempotent).</summary>
    [Alias("Add")]
    Task AddAsync(string name);

    /// <summary>Removes a name (idempotent).</summary>
    [Alias("Remove")]
    Task RemoveAsync(string name);

    /// <summary>Whether the index holds <paramref name="name"/> (a point lookup; the object itself may be gone).</summary>
    [Alias("Contains")]
    Task<bool> ContainsAsync(string name);

    /// <summary>All names, sorted ordinally.</summary>
    [Alias("List")]
    Task<string[]> ListAsync();
}
