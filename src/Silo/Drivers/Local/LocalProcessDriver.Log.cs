using Knative.Orleans.Grains.Ports;
using Microsoft.Extensions.Logging;

namespace Knative.Orleans.Silo.Drivers.Local;

/// <summary>Logging of the local-process driver: EventIds 1200-1299.</summary>
public sealed partial class LocalProcessDriver
{
    internal static partial class Log
    {
        [LoggerMessage(EventId = 1200, Level = LogLevel.Information,
            Message = "Spawned workload {Pid} for {RevisionKey} instance {InstanceId} on port {Port}")]
        public static partial void Spawned(ILogger logger, int pid, string revisionKey, string instanceId, int port);

        [LoggerMessage(EventId = 1201, Level = LogLevel.Warning,
            Message = "Could not spawn {RevisionKey} instance {InstanceId}: {Error}")]
        public static partial void SpawnFailed(ILogger logger, string revisionKey, string instanceId, string error);

        [LoggerMessage(EventId = 1202, Level = LogLevel.Information,
            Message = "Workload {Pid} of {RevisionKey} instance {InstanceId} is ready, {ElapsedMs} ms after spawn")]
        public static partial void Ready(ILogger logger, int pid, string revisionKey, string instanceId, long elapsedMs);

        [LoggerMessage(EventId = 1203, Level = LogLevel.Warning,
            Message = "Workload {Pid} of {RevisionKey} instance {InstanceId} is unready after {Failures} failed probes")]
        public static partial void Unready(ILogger logger, int pid, string revisionKey, string instanceId, int failures);

        [LoggerMessage(EventId = 1204, Level = LogLevel.Warning,
            Message = "Workload {Pid} of {RevisionKey} instance {InstanceId} exited with code {ExitCode}")]
        public static partial void Exited(ILogger logger, int pid, string revisionKey, string instanceId, int exitCode);

        [LoggerMessage(EventId = 1205, Level = LogLevel.Information,
            Message = "Stopping workload {Pid} of {RevisionKey} instance {InstanceId} (SIGTERM, SIGKILL after {GraceSeconds} s)")]
        public static partial void Stopping(ILogger logger, int pid, string revisionKey, string instanceId, double graceSeconds);

        [LoggerMessage(EventId = 1206, Level = LogLevel.Information,
            Message = "Stopped workload {Pid} of {RevisionKey} instance {InstanceId} (needed SIGKILL: {Killed})")]
        public static partial void Stopped(ILogger logger, int pid, string revisionKey, string instanceId, bool killed);

        [LoggerMessage(EventId = 1207, Level = LogLevel.Information,
            Message = "Local process driver started (setpriv/setsid wrapper: {UseWrapper}); reaped {ReapedCount} leftover workloads")]
        public static partial void DriverStarted(ILogger logger, bool useWrapper, int reapedCount);

        [LoggerMessage(EventId = 1208, Level = LogLevel.Information,
            Message = "Local process driver shutting down; stopping {InstanceCount} workloads")]
        public static partial void ShuttingDown(ILogger logger, int instanceCount);

        [LoggerMessage(EventId = 1209, Level = LogLevel.Warning,
            Message = "Not starting {RevisionKey} instance {InstanceId}: the driver is shutting down")]
        public static partial void StartRefused(ILogger logger, string revisionKey, string instanceId);

        [LoggerMessage(EventId = 1210, Level = LogLevel.Debug,
            Message = "{RevisionKey} instance {InstanceId} is already running; start ignored")]
        public static partial void AlreadyRunning(ILogger logger, string revisionKey, string instanceId);

        [LoggerMessage(EventId = 1211, Level = LogLevel.Warning,
            Message = "Workload {Pid} is in process group {ProcessGroup}, not its own; stopping it will not reach its children")]
        public static partial void NotOwnGroup(ILogger logger, int pid, int processGroup);

        [LoggerMessage(EventId = 1212, Level = LogLevel.Warning,
            Message = "Status report {Phase} of {RevisionKey} instance {InstanceId} failed")]
        public static partial void SinkFailed(ILogger logger, string revisionKey, string instanceId, WorkloadPhase phase, Exception exception);

        [LoggerMessage(EventId = 1213, Level = LogLevel.Warning,
            Message = "{RevisionKey} instance {InstanceId}: exec and gRPC readiness probes are not supported locally; probing TCP instead")]
        public static partial void ProbeUnsupported(ILogger logger, string revisionKey, string instanceId);

        [LoggerMessage(EventId = 1214, Level = LogLevel.Error,
            Message = "Readiness probing of {RevisionKey} instance {InstanceId} failed")]
        public static partial void ProbeLoopFailed(ILogger logger, string revisionKey, string instanceId, Exception exception);

        [LoggerMessage(EventId = 1215, Level = LogLevel.Error,
            Message = "Monitoring {RevisionKey} instance {InstanceId} failed")]
        public static partial void MonitorFailed(ILogger logger, string revisionKey, string instanceId, Exception exception);

        [LoggerMessage(EventId = 1240, Level = LogLevel.Warning,
            Message = "Reaped leftover workload {Pid} of {RevisionKey} instance {InstanceId} (killed its process group)")]
        public static partial void Reaped(ILogger logger, int pid, string revisionKey, string instanceId);

        [LoggerMessage(EventId = 1241, Level = LogLevel.Debug,
            Message = "Workload record {Pid} of {RevisionKey} instance {InstanceId} is stale (process gone or pid reused); deleted")]
        public static partial void StaleRecord(ILogger logger, int pid, string revisionKey, string instanceId);

        [LoggerMessage(EventId = 1242, Level = LogLevel.Warning, Message = "Workload record {Path} is unreadable; deleted")]
        public static partial void UnreadableRecord(ILogger logger, string path);

        [LoggerMessage(EventId = 1243, Level = LogLevel.Warning, Message = "Workload record {Path} could not be written or deleted")]
        public static partial void RecordFailed(ILogger logger, string path, Exception exception);
    }
}
