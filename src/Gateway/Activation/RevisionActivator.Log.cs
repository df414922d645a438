namespace Knative.Orleans.Gateway.Activation;

public sealed partial class RevisionActivator
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Cold start of {RevisionKey}: holding requests until an instance is ready")]
        public static partial void ColdStartBegin(ILogger logger, string revisionKey);

        [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "Cold start of {RevisionKey} ended: {Outcome} after {ElapsedMs} ms")]
        public static partial void ColdStartEnd(ILogger logger, string revisionKey, string outcome, long elapsedMs);

        [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "Activating {RevisionKey} failed; retrying while requests wait")]
        public static partial void ActivationFailed(ILogger logger, string revisionKey, Exception exception);
    }
}
