namespace Knative.Orleans.Gateway.Metrics;

public sealed partial class MetricsReporter
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2030, Level = LogLevel.Warning, Message = "Sending a metric batch of {RevisionCount} revisions failed")]
        public static partial void ReportFailed(ILogger logger, int revisionCount, Exception exception);
    }
}
