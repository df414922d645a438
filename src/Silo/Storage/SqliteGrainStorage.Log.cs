using Microsoft.Extensions.Logging;

namespace Knative.Orleans.Silo.Storage;

// EventIds 1100-1199: embedded SQLite grain storage.
public sealed partial class SqliteGrainStorage
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information,
        Message = "Grain storage {ProviderName} opened {DatabasePath} (journal_mode={JournalMode}, synchronous=FULL, schema version {SchemaVersion})")]
    private static partial void LogOpened(ILogger logger, string providerName, string databasePath, string journalMode, int schemaVersion);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug,
        Message = "Grain storage {ProviderName} closed {DatabasePath}")]
    private static partial void LogClosed(ILogger logger, string providerName, string databasePath);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error,
        Message = "Grain storage {ProviderName} could not open {DatabasePath}")]
    private static partial void LogOpenFailed(ILogger logger, Exception exception, string providerName, string databasePath);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Error,
        Message = "Grain storage {ProviderName} failed to read state {StateName} of grain {GrainId}")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, string providerName, string stateName, GrainId grainId);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Error,
        Message = "Grain storage {ProviderName} could not deserialize state {StateName} of grain {GrainId} as {StateType}")]
    private static partial void LogDeserializeFailed(ILogger logger, Exception exception, string providerName, string stateName, GrainId grainId, string? stateType);

    [LoggerMessage(EventId = 1120, Level = LogLevel.Error,
        Message = "Grain storage {ProviderName} failed to write state {StateName} of grain {GrainId}")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string providerName, string stateName, GrainId grainId);

    [LoggerMessage(EventId = 1121, Level = LogLevel.Warning,
        Message = "Grain storage {ProviderName} rejected a write of state {StateName} of grain {GrainId}: expected etag {ExpectedETag}, stored etag {StoredETag}")]
    private static partial void LogWriteConflict(ILogger logger, string providerName, string stateName, GrainId grainId, string? expectedETag, string? storedETag);

    [LoggerMessage(EventId = 1130, Level = LogLevel.Error,
        Message = "Grain storage {ProviderName} failed to clear state {StateName} of grain {GrainId}")]
    private static partial void LogClearFailed(ILogger logger, Exception exception, string providerName, string stateName, GrainId grainId);

    [LoggerMessage(EventId = 1131, Level = LogLevel.Warning,
        Message = "Grain storage {ProviderName} rejected a clear of state {StateName} of grain {GrainId}: expected etag {ExpectedETag}, stored etag {StoredETag}")]
    private static partial void LogClearConflict(ILogger logger, string providerName, string stateName, GrainId grainId, string? expectedETag, string? storedETag);
}
