using Microsoft.Extensions.Logging;

namespace Knative.Orleans.Grains.Eventing;

/// <summary>Logging of <see cref="TriggerGrain"/> (event ids 4100–4199).</summary>
public sealed partial class TriggerGrain
{
    /// <summary>Meter <c>Knative.Orleans.Eventing</c>: delivery outcomes that need attention, tagged with the trigger key.</summary>
    public static readonly System.Diagnostics.Metrics.Meter Meter = new("Knative.Orleans.Eventing");

    private static readonly System.Diagnostics.Metrics.Counter<long> DeadLetteredCounter =
        Meter.CreateCounter<long>("knative.eventing.dead_lettered", "{event}", "Events sent to a dead letter sink after the last failed attempt");

    private static readonly System.Diagnostics.Metrics.Counter<long> DroppedCounter =
        Meter.CreateCounter<long>("knative.eventing.dropped", "{event}", "Events dropped after the last failed attempt: no dead letter sink, or the dead letter sink failed too");

    private static partial class Log
    {
        [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message = "Trigger {TriggerKey}: delivery loop failed at cursor {Cursor}; the resync timer retries")]
        public static partial void LoopFailed(ILogger logger, string triggerKey, long cursor, Exception exception);

        [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Trigger {TriggerKey}: {Target} answered {StatusCode} ({Error}); retry {Retry} in {Wait}")]
        public static partial void Retrying(ILogger logger, string triggerKey, Uri target, int statusCode, string? error, int retry, TimeSpan wait);

        [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Trigger {TriggerKey}: event {EventId} dead-lettered after final status {StatusCode}")]
        public static partial void DeadLettered(ILogger logger, string triggerKey, string? eventId, int statusCode);

        [LoggerMessage(EventId = 4103, Level = LogLevel.Error, Message = "Trigger {TriggerKey}: event {EventId} dropped (final status {StatusCode}): {Why}")]
        public static partial void Dropped(ILogger logger, string triggerKey, string? eventId, int statusCode, string why);

        [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Trigger {TriggerKey}: the reply {ReplyId} to event {EventId} is dropped: knativebrokerttl exhausted")]
        public static partial void ReplyTtlExhausted(ILogger logger, string triggerKey, string? replyId, string? eventId);

        [LoggerMessage(EventId = 4105, Level = LogLevel.Information, Message = "Trigger {TriggerKey}: the answer to event {EventId} failed the delivery: {Why}")]
        public static partial void BadReply(ILogger logger, string triggerKey, string? eventId, string why);

        [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "Trigger {TriggerKey}: waiting for the subscriber: {Why}")]
        public static partial void SubscriberUnresolved(ILogger logger, string triggerKey, string why);

        [LoggerMessage(EventId = 4107, Level = LogLevel.Warning, Message = "Trigger {TriggerKey}: event {EventId} waits for the dead letter sink: {Why}")]
        public static partial void DeadLetterSinkUnresolved(ILogger logger, string triggerKey, string? eventId, string why);
    }
}
