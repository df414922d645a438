using Microsoft.Extensions.Logging;

namespace Knative.Orleans.Grains.Serving;

public sealed partial class RevisionGrain
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Revision {RevisionKey} created")]
    private static partial void LogCreated(ILogger logger, string revisionKey);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Revision {RevisionKey} deleted")]
    private static partial void LogDeleted(ILogger logger, string revisionKey);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Revision {RevisionKey} cold start requested")]
    private static partial void LogColdStart(ILogger logger, string revisionKey);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Revision {RevisionKey} scales from {CurrentScale} to {DesiredScale} ({Reason})")]
    private static partial void LogScale(ILogger logger, string revisionKey, int currentScale, int desiredScale, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Revision {RevisionKey} instance {InstanceId} ready at {Address}")]
    private static partial void LogReady(ILogger logger, string revisionKey, string instanceId, string? address);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Revision {RevisionKey} instance {InstanceId} exited with code {ExitCode}; next start in {BackoffSeconds} s")]
    private static partial void LogExited(ILogger logger, string revisionKey, string instanceId, int? exitCode, double backoffSeconds);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Revision {RevisionKey} failed to stop instance {InstanceId}")]
    private static partial void LogStopFailed(ILogger logger, Exception exception, string revisionKey, string instanceId);
}
