using System.Data;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Knative.Orleans.Silo.Storage;

/// <summary>
/// Grain storage in one embedded SQLite database, <c>{Path}/state.db</c>: the storage of the single-node
/// default. Each grain state is one row keyed by (grain type, grain key, state name) holding an etag and the
/// state serialized by the <see cref="IGrainStorageSerializer"/>.
/// </summary>
/// <remarks>
/// <para><b>Durability and atomicity.</b> The database runs in WAL journal mode with <c>synchronous=FULL</c>:
/// SQLite fsyncs the WAL before a commit returns, and a write is acknowledged (its task completes) only after
/// the transaction holding it committed, so an acknowledged write survives a process crash or a power loss.
/// A crash in the middle of a write never leaves a half-written row: an uncommitted or torn transaction at
/// the end of the WAL is ignored when the database is next opened, so the row keeps its previous value.</para>
/// <para><b>Concurrency and group commit.</b> Grains call the provider in parallel. Writes are queued to one
/// writer loop that owns the writer connection and its prepared statements (SQLite allows one writer at a time
/// anyway). The loop takes every write queued so far (at most <see cref="MaxBatch"/>) into one transaction, each
/// write in its own savepoint, and commits once: one fsync for the whole group instead of one per write, which is
/// what lets thousands of services be created per second. A write that fails (an etag conflict, an error of its
/// own) is rolled back to its savepoint and fails alone; if the commit fails, every write of the group fails and
/// none was acknowledged. Writes queued while a commit runs form the next group, so a lone write waits for no
/// one. Reads use pooled connections and, thanks
/// to WAL, run concurrently with the writer. <c>busy_timeout</c> covers other connections to the same file
/// (another provider instance on the same path, an operator with the <c>sqlite3</c> shell).</para>
/// <para><b>Etags.</b> Optimistic concurrency as in Orleans' other providers: every write stores a new random
/// etag (never a counter, so a deleted and re-created row cannot match a stale etag). A write or clear whose
/// etag does not match the stored one throws <see cref="InconsistentStateException"/> and changes nothing;
/// a <see langword="null"/> etag means "I expect no row".</para>
/// <para><b>Clear</b> deletes the row (no tombstone) and resets the in-memory state to a new instance,
/// <see cref="IGrainState{T}.ETag"/> to <see langword="null"/> and <see cref="IGrainState{T}.RecordExists"/>
/// to <see langword="false"/>. A read of a missing row does the same.</para>
/// </remarks>
public sealed partial class SqliteGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    /// <summary>The database file name inside <see cref="SqliteGrainStorageOptions.Path"/>.</summary>
    public const string DatabaseFileName = "state.db";

    /// <summary>
    /// The schema version this provider writes into <c>PRAGMA user_version</c>: 1 = <c>grain_state</c>, 2 = also
    /// <c>resource_index</c> (<see cref="SqliteResourceIndexStore"/>; created on open, so a version 1 file upgrades in place).
    /// </summary>
    public const int SchemaVersion = 2;

    /// <summary>The most writes committed in one transaction.</summary>
    public const int MaxBatch = 512;

    /// <summary>How long a statement waits for a lock held by another connection before it fails.</summary>
    private const int BusyTimeoutMilliseconds = 10_000;

    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerReadWrite | UnixFileMode.UserExecute;

    private const string CreateSchemaSql = """
        CREATE TABLE IF NOT EXISTS grain_state (
            grain_type TEXT NOT NULL,
            grain_key  TEXT NOT NULL,
            state_name TEXT NOT NULL,
            etag       TEXT NOT NULL,
            data       BLOB NOT NULL,
            PRIMARY KEY (grain_type, grain_key, state_name)
        );
        CREATE TABLE IF NOT EXISTS resource_index (
            index_key TEXT NOT NULL,
            name      TEXT NOT NULL,
            PRIMARY KEY (index_key, name)
        ) WITHOUT ROWID;
        """;

    private const string KeyPredicate =
        "grain_type = $grain_type AND grain_key = $grain_key AND state_name = $state_name";

    private const string SelectSql = "SELECT etag, data FROM grain_state WHERE " + KeyPredicate + ";";
    private const string SelectETagSql = "SELECT etag FROM grain_state WHERE " + KeyPredicate + ";";

    // ON CONFLICT DO NOTHING: inserting over an existing row changes 0 rows, which we report as a conflict.
    private const string InsertSql = """
        INSERT INTO grain_state (grain_type, grain_key, state_name, etag, data)
        VALUES ($grain_type, $grain_key, $state_name, $new_etag, $data)
        ON CONFLICT (grain_type, grain_key, state_name) DO NOTHING;
        """;

    private const string UpdateSql =
        "UPDATE grain_state SET etag = $new_etag, data = $data WHERE " + KeyPredicate + " AND etag = $etag;";

    private const string DeleteSql = "DELETE FROM grain_state WHERE " + KeyPredicate + " AND etag = $etag;";

    private readonly string _name;
    private readonly string _directory;
    private readonly string _databasePath;
    private readonly string _readConnectionString;
    private readonly string _writeConnectionString;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activatorProvider;
    private readonly ILogger _logger;

    // Guards _writer, initialization and disposal. Writes go through _queue to the writer loop.
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Channel<WriteOperation> _queue =
        Channel.CreateUnbounded<WriteOperation>(new UnboundedChannelOptions { SingleReader = true });
    private WriterSession? _writer;
    private Task? _writerLoop;
    private volatile bool _initialized;
    private volatile bool _disposed;

    /// <summary>Creates the provider; the database is opened on silo start or on first use.</summary>
    /// <param name="name">The provider name (used in logs and errors).</param>
    /// <param name="options">The validated options.</param>
    /// <param name="serializer">Turns grain state into bytes and back.</param>
    /// <param name="activatorProvider">Creates a fresh state instance after a clear or a missing read.</param>
    /// <param name="logger">The logger.</param>
    public SqliteGrainStorage(
        string name,
        SqliteGrainStorageOptions options,
        IGrainStorageSerializer serializer,
        IActivatorProvider activatorProvider,
        ILogger<SqliteGrainStorage> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path);
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(activatorProvider);
        ArgumentNullException.ThrowIfNull(logger);

        _name = name;
        _directory = System.IO.Path.GetFullPath(options.Path);
        _databasePath = System.IO.Path.Combine(_directory, DatabaseFileName);
        _serializer = serializer;
        _activatorProvider = activatorProvider;
        _logger = logger;

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = _databasePath,
            Mode = SqliteOpenMode.ReadWrite,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        };
        _readConnectionString = builder.ToString();
        builder.Pooling = false; // the writer connection is ours alone and closes for real on dispose
        _writeConnectionString = builder.ToString();
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => _databasePath;

    /// <summary>
    /// Creates the provider named <paramref name="name"/> from DI: its named options, the
    /// <see cref="IGrainStorageSerializer"/> keyed by the name or else the default one.
    /// </summary>
    internal static SqliteGrainStorage Create(IServiceProvider services, string? name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var options = services.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(name);
        var serializer = services.GetKeyedService<IGrainStorageSerializer>(name)
            ?? services.GetRequiredService<IGrainStorageSerializer>();
        return new SqliteGrainStorage(
            name,
            options,
            serializer,
            services.GetRequiredService<IActivatorProvider>(),
            services.GetRequiredService<ILogger<SqliteGrainStorage>>());
    }

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(
            $"{nameof(SqliteGrainStorage)}-{_name}",
            ServiceLifecycleStage.ApplicationServices,
            InitializeAsync,
            _ =>
            {
                // Grains deactivate (and write their state) at GrainDeactivation, which stops before us.
                Dispose();
                return Task.CompletedTask;
            });
    }

    /// <summary>
    /// Opens the database: creates the directory, the file (mode 0600 on Unix) and the table if missing,
    /// and switches to WAL. Called on silo start; operations also call it, so direct use works without it.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            EnsureWriter();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(
        string stateName,
        GrainId grainId,
        IGrainState<T> grainState,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainState);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        ObjectDisposedException.ThrowIf(_disposed, this);

        string? etag = null;
        byte[]? data = null;
        try
        {
            using var connection = OpenReadConnection();
            using var command = connection.CreateCommand();
            command.CommandText = SelectSql;
            BindKey(command, stateName, grainId);
            using var reader = command.ExecuteReader(CommandBehavior.SingleRow);
            if (reader.Read())
            {
                etag = reader.GetString(0);
                data = reader.GetFieldValue<byte[]>(1);
            }
        }
        catch (Exception exception)
        {
            LogReadFailed(_logger, exception, _name, stateName, grainId);
            throw;
        }

        if (etag is null || data is null)
        {
            ResetToDefault(grainState);
            return;
        }

        T? state;
        try
        {
            state = _serializer.Deserialize<T>(new BinaryData(data));
        }
        catch (Exception exception)
        {
            LogDeserializeFailed(_logger, exception, _name, stateName, grainId, typeof(T).FullName);
            throw;
        }

        grainState.State = state!; // null only if a null state was written
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(
        string stateName,
        GrainId grainId,
        IGrainState<T> grainState,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainState);

        var data = _serializer.Serialize(grainState.State).ToArray();
        var expectedETag = grainState.ETag;
        var newETag = NewETag();

        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnqueueAsync(writer =>
            {
                SqliteCommand command;
                if (expectedETag is null)
                {
                    command = writer.Insert;
                }
                else
                {
                    command = writer.Update;
                    command.Parameters["$etag"].Value = expectedETag;
                }

                BindKey(command, stateName, grainId);
                command.Parameters["$new_etag"].Value = newETag;
                command.Parameters["$data"].Value = data;
                if (command.ExecuteNonQuery() == 0)
                {
                    var storedETag = ReadStoredETag(writer, stateName, grainId);
                    LogWriteConflict(_logger, _name, stateName, grainId, expectedETag, storedETag);
                    throw Conflict(nameof(WriteStateAsync), stateName, grainId, expectedETag, storedETag);
                }

                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not InconsistentStateException and not ObjectDisposedException)
        {
            LogWriteFailed(_logger, exception, _name, stateName, grainId);
            throw;
        }

        grainState.ETag = newETag;
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(
        string stateName,
        GrainId grainId,
        IGrainState<T> grainState,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainState);
        var expectedETag = grainState.ETag;

        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnqueueAsync(writer =>
            {
                bool matched;
                if (expectedETag is null)
                {
                    // The caller believes there is no row: clearing is a no-op if that is true.
                    matched = ReadStoredETag(writer, stateName, grainId) is null;
                }
                else
                {
                    var command = writer.Delete;
                    BindKey(command, stateName, grainId);
                    command.Parameters["$etag"].Value = expectedETag;
                    matched = command.ExecuteNonQuery() == 1;
                }

                if (!matched)
                {
                    var storedETag = ReadStoredETag(writer, stateName, grainId);
                    LogClearConflict(_logger, _name, stateName, grainId, expectedETag, storedETag);
                    throw Conflict(nameof(ClearStateAsync), stateName, grainId, expectedETag, storedETag);
                }

                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not InconsistentStateException and not ObjectDisposedException)
        {
            LogClearFailed(_logger, exception, _name, stateName, grainId);
            throw;
        }

        ResetToDefault(grainState);
    }

    /// <summary>Closes the writer connection and the read pool. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        // Queued writes are committed before the connection closes; later callers see _disposed.
        _writeLock.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _queue.Writer.TryComplete();
            _writerLoop?.GetAwaiter().GetResult();
            if (_writer is { } writer)
            {
                _writer = null;
                writer.Dispose();
                using var pooled = new SqliteConnection(_readConnectionString);
                SqliteConnection.ClearPool(pooled);
                LogClosed(_logger, _name, _databasePath);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="operation"/> on the writer connection inside the next group commit; completes after the
    /// commit. An exception thrown by the operation rolls back only its own changes and fails only its task.
    /// </summary>
    internal async Task<T> ExecuteWriteAsync<T>(Func<SqliteConnection, T> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await EnqueueAsync(writer => operation(writer.Connection), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a pooled read connection (WAL: it sees every acknowledged write and never blocks the writer).</summary>
    internal SqliteConnection OpenReader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return OpenReadConnection();
    }

    private Task<T> EnqueueAsync<T>(Func<WriterSession, T> body, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var operation = new WriteOperation<T>(body);
        if (!_queue.Writer.TryWrite(operation))
        {
            throw new ObjectDisposedException(GetType().FullName);
        }

        return operation.Task;
    }

    /// <summary>The writer loop: commits whatever is queued as one group, until the queue is completed and empty.</summary>
    private async Task RunWriterAsync(WriterSession writer)
    {
        var batch = new List<WriteOperation>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var operation))
            {
                batch.Add(operation);
            }

            CommitGroup(writer, batch);
            batch.Clear();
        }
    }

    private static void CommitGroup(WriterSession writer, List<WriteOperation> batch)
    {
        try
        {
            writer.Begin.ExecuteNonQuery();
            foreach (var operation in batch)
            {
                writer.Savepoint.ExecuteNonQuery();
                if (!operation.Run(writer))
                {
                    writer.RollbackToSavepoint.ExecuteNonQuery();
                }

                writer.ReleaseSavepoint.ExecuteNonQuery();
            }

            writer.Commit.ExecuteNonQuery();
        }
        catch (Exception exception)
        {
            // Nothing of this group is durable: fail every write (none was acknowledged) and leave no transaction open.
            try
            {
                if (!writer.Connection.Handle!.IsInvalid && SQLitePCL.raw.sqlite3_get_autocommit(writer.Connection.Handle) == 0)
                {
                    writer.Rollback.ExecuteNonQuery();
                }
            }
            catch (SqliteException)
            {
                // the connection is unusable; the next group reports its own error
            }

            foreach (var operation in batch)
            {
                operation.Fail(exception);
            }

            return;
        }

        foreach (var operation in batch)
        {
            operation.Complete();
        }
    }

    /// <summary>Returns the writer, opening the database the first time. Call only under <see cref="_writeLock"/>.</summary>
    private WriterSession EnsureWriter()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writer is { } existing)
        {
            return existing;
        }

        try
        {
            PrepareFileSystem();
            var connection = new SqliteConnection(_writeConnectionString);
            try
            {
                connection.Open();
                var journalMode = ConfigureWriter(connection);
                CreateSchema(connection);
                RestrictCompanionFiles();
                _writer = new WriterSession(connection);
                _writerLoop = Task.Run(() => RunWriterAsync(_writer));
                _initialized = true;
                LogOpened(_logger, _name, _databasePath, journalMode, SchemaVersion);
                return _writer;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
        catch (Exception exception)
        {
            LogOpenFailed(_logger, exception, _name, _databasePath);
            throw;
        }
    }

    /// <summary>Creates the directory (0700 when we create it) and the database file with mode 0600.</summary>
    private void PrepareFileSystem()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(_directory);
            return;
        }

        if (!Directory.Exists(_directory))
        {
            Directory.CreateDirectory(_directory, OwnerOnlyDirectory);
        }

        // Create the file ourselves so that it is never readable by others, not even for a moment;
        // SQLite gives the -wal and -shm files it creates the same mode as the database file.
        using (new FileStream(_databasePath, new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite,
            UnixCreateMode = OwnerReadWrite,
        }))
        {
        }

        File.SetUnixFileMode(_databasePath, OwnerReadWrite);
    }

    private void RestrictCompanionFiles()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var suffix in (ReadOnlySpan<string>)["-wal", "-shm"])
        {
            var path = _databasePath + suffix;
            if (File.Exists(path))
            {
                File.SetUnixFileMode(path, OwnerReadWrite);
            }
        }
    }

    private static string ConfigureWriter(SqliteConnection connection)
    {
        SetBusyTimeout(connection);
        using var command = connection.CreateCommand();

        // journal_mode=WAL is stored in the file; synchronous is per connection and must be set on every open.
        command.CommandText = "PRAGMA journal_mode = WAL;";
        var journalMode = Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? string.Empty;
        if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"SQLite refused WAL journal mode (it reports '{journalMode}'); the file system may not support it.");
        }

        command.CommandText = "PRAGMA synchronous = FULL;";
        command.ExecuteNonQuery();
        return journalMode;
    }

    private static void CreateSchema(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new NotSupportedException(
                $"The grain state database has schema version {version}; this build supports up to {SchemaVersion}.");
        }

        command.CommandText = CreateSchemaSql;
        command.ExecuteNonQuery();
        if (version < SchemaVersion)
        {
            command.CommandText = $"PRAGMA user_version = {SchemaVersion};";
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private SqliteConnection OpenReadConnection()
    {
        var connection = new SqliteConnection(_readConnectionString);
        try
        {
            connection.Open();
            SetBusyTimeout(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void SetBusyTimeout(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds};";
        command.ExecuteNonQuery();
    }

    private static string? ReadStoredETag(WriterSession writer, string stateName, GrainId grainId)
    {
        var command = writer.SelectETag;
        BindKey(command, stateName, grainId);
        return command.ExecuteScalar() as string;
    }

    private static void BindKey(SqliteCommand command, string stateName, GrainId grainId)
    {
        var parameters = command.Parameters;
        if (parameters.Count == 0)
        {
            parameters.Add("$grain_type", SqliteType.Text);
            parameters.Add("$grain_key", SqliteType.Text);
            parameters.Add("$state_name", SqliteType.Text);
        }

        parameters["$grain_type"].Value = grainId.Type.ToString();
        parameters["$grain_key"].Value = grainId.Key.ToString();
        parameters["$state_name"].Value = stateName;
    }

    private void ResetToDefault<T>(IGrainState<T> grainState)
    {
        grainState.State = _activatorProvider.GetActivator<T>().Create();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private InconsistentStateException Conflict(
        string operation,
        string stateName,
        GrainId grainId,
        string? expectedETag,
        string? storedETag) =>
        new(
            $"Version conflict ({operation}): provider '{_name}', state '{stateName}', grain {grainId}: " +
            $"expected etag '{expectedETag ?? "<none>"}', stored etag '{storedETag ?? "<none>"}'.",
            storedETag ?? string.Empty,
            expectedETag ?? string.Empty);

    private static string NewETag() => Guid.NewGuid().ToString("N");

    /// <summary>The writer connection and its prepared statements; used only under the write lock.</summary>
    private sealed class WriterSession : IDisposable
    {
        public WriterSession(SqliteConnection connection)
        {
            Connection = connection;
            Insert = Prepare(connection, InsertSql, "$new_etag", "$data");
            Update = Prepare(connection, UpdateSql, "$new_etag", "$data", "$etag");
            Delete = Prepare(connection, DeleteSql, "$etag");
            SelectETag = Prepare(connection, SelectETagSql);
            Begin = PrepareControl(connection, "BEGIN IMMEDIATE;");
            Commit = PrepareControl(connection, "COMMIT;");
            Rollback = PrepareControl(connection, "ROLLBACK;");
            Savepoint = PrepareControl(connection, "SAVEPOINT write;");
            ReleaseSavepoint = PrepareControl(connection, "RELEASE write;");
            RollbackToSavepoint = PrepareControl(connection, "ROLLBACK TO write;");
        }

        public SqliteConnection Connection { get; }

        public SqliteCommand Insert { get; }

        public SqliteCommand Update { get; }

        public SqliteCommand Delete { get; }

        public SqliteCommand SelectETag { get; }

        public SqliteCommand Begin { get; }

        public SqliteCommand Commit { get; }

        public SqliteCommand Rollback { get; }

        public SqliteCommand Savepoint { get; }

        public SqliteCommand ReleaseSavepoint { get; }

        public SqliteCommand RollbackToSavepoint { get; }

        public void Dispose()
        {
            foreach (var control in (ReadOnlySpan<SqliteCommand>)[Begin, Commit, Rollback, Savepoint, ReleaseSavepoint, RollbackToSavepoint])
            {
                control.Dispose();
            }

            Insert.Dispose();
            Update.Dispose();
            Delete.Dispose();
            SelectETag.Dispose();
            Connection.Dispose();
        }

        private static SqliteCommand PrepareControl(SqliteConnection connection, string sql)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            return command;
        }

        private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] extra)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.Add("$grain_type", SqliteType.Text);
            command.Parameters.Add("$grain_key", SqliteType.Text);
            command.Parameters.Add("$state_name", SqliteType.Text);
            foreach (var name in extra)
            {
                command.Parameters.Add(name, name == "$data" ? SqliteType.Blob : SqliteType.Text);
            }

            command.Prepare();
            return command;
        }
    }

    /// <summary>One queued write: runs inside a group, completes after the group's commit.</summary>
    private abstract class WriteOperation
    {
        /// <summary>Runs the write; false when it threw (its savepoint is then rolled back).</summary>
        public abstract bool Run(WriterSession writer);

        /// <summary>The group committed: completes with the result or the write's own exception.</summary>
        public abstract void Complete();

        /// <summary>The group failed: nothing was written.</summary>
        public abstract void Fail(Exception exception);
    }

    private sealed class WriteOperation<T>(Func<WriterSession, T> body) : WriteOperation
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _error;

        public Task<T> Task => _done.Task;

        public override bool Run(WriterSession writer)
        {
            try
            {
                _result = body(writer);
                _error = null;
                return true;
            }
            catch (Exception exception)
            {
                _error = exception;
                return false;
            }
        }

        public override void Complete()
        {
            if (_error is null)
            {
                _done.TrySetResult(_result!);
            }
            else
            {
                _done.TrySetException(_error);
            }
        }

        public override void Fail(Exception exception) => _done.TrySetException(exception);
    }
}
