namespace Knative.Orleans.Silo.Storage;

/// <summary>
/// Options of one named <see cref="SqliteGrainStorage"/> provider, the embedded grain storage of the
/// single-node default. Validated at startup by <see cref="SqliteGrainStorageOptionsValidator"/>.
/// </summary>
public sealed class SqliteGrainStorageOptions
{
    /// <summary>
    /// The directory that holds the database file <c>{Path}/state.db</c> (see
    /// <see cref="SqliteGrainStorage.DatabaseFileName"/>) and its <c>-wal</c>/<c>-shm</c> companions.
    /// Required; there is no default. The directory is created (mode 0700 on Unix) if it is missing.
    /// Several providers may share one directory: each row is keyed by grain type, grain key and state
    /// name, so they never overwrite each other's state unless they store the same grain state.
    /// </summary>
    public string Path { get; set; } = string.Empty;
}
