using Orleans.Runtime;
using Orleans.Storage;

namespace Knative.Orleans.Silo.Hosting;

/// <summary>
/// Failures that go away by themselves: a silo being declared dead, storage (Redis) restarting, a call timing out.
/// The admin API answers them with 503 (retry later) instead of 500.
/// </summary>
public static class TransientFailures
{
    /// <summary>True when <paramref name="exception"/> or one of its inner exceptions is transient.</summary>
    public static bool IsTransient(Exception exception) =>
        Chain(exception).Any(e => e is TimeoutException or OrleansMessageRejectionException or SiloUnavailableException
            || IsStorage(e));

    /// <summary>
    /// True when grain storage failed (Redis unreachable, or an etag conflict after a write whose answer was lost): the
    /// activation's in-memory state may differ from what is stored.
    /// </summary>
    public static bool IsStorageFailure(Exception exception) => Chain(exception).Any(IsStorage);

    private static bool IsStorage(Exception e) =>
        e is InconsistentStateException or StackExchange.Redis.RedisException
        || e.GetType().FullName?.StartsWith("StackExchange.Redis.", StringComparison.Ordinal) == true
        || e.Message.Contains("storage provider", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }
}

/// <summary>
/// Deactivates a grain whose call failed in storage, so that the next call reads the stored state again: otherwise an
/// activation would keep serving a change that was never stored (or stay stuck on an etag conflict after a write whose
/// answer was lost while Redis restarted).
/// </summary>
public sealed partial class StorageFailureFilter(ILogger<StorageFailureFilter> logger) : IIncomingGrainCallFilter
{
    /// <inheritdoc />
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (TransientFailures.IsStorageFailure(e))
        {
            LogDeactivating(logger, context.TargetId.ToString(), e);
            context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, e, "grain storage failed"));
            throw;
        }
    }

    [LoggerMessage(EventId = 3320, Level = LogLevel.Warning, Message = "Grain storage failed for {GrainId}; deactivating it so that it reloads its state")]
    private static partial void LogDeactivating(ILogger logger, string grainId, Exception exception);
}
