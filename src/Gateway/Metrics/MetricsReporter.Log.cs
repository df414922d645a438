namespace Knative.Orleans.Gateway.Metrics;

public sealed partial class MetricsReporter
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2030, Level = LogLevel.Warning, Message = "Sending a metric sample of {RevisionKey} failed")]
        public static partial void ReportFailed(ILogger logger, string revisionKey, Exception exception);
    }
}
