using Knative.Orleans.Grains.Ports;
using Microsoft.Extensions.Logging;

namespace Knative.Orleans.Silo.Drivers.Kubernetes;

public sealed partial class KubernetesDriver
{
    /// <summary>EventIds 1252-1269 (the API wrapper has 1250-1251).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 1252, Level = LogLevel.Information, Message = "Created deployment {Deployment} for {RevisionKey} with {Replicas} replica(s)")]
        public static partial void Created(ILogger logger, string deployment, string revisionKey, int replicas);

        [LoggerMessage(EventId = 1253, Level = LogLevel.Warning,
            Message = "Deployment {Deployment} of {RevisionKey} already exists (AlreadyExists): adopting it instead of creating a second one")]
        public static partial void Adopting(ILogger logger, string deployment, string revisionKey);

        [LoggerMessage(EventId = 1254, Level = LogLevel.Information, Message = "Deployment {Deployment} of {RevisionKey} now has {Replicas} replica(s)")]
        public static partial void Scaled(ILogger logger, string deployment, string revisionKey, int replicas);

        [LoggerMessage(EventId = 1255, Level = LogLevel.Information, Message = "Update of deployment {Deployment} hit a conflict (attempt {Attempt}): reading it again")]
        public static partial void UpdateConflict(ILogger logger, string deployment, int attempt);

        [LoggerMessage(EventId = 1256, Level = LogLevel.Information, Message = "Deleted deployment {Deployment} of {RevisionKey}")]
        public static partial void Deleted(ILogger logger, string deployment, string revisionKey);

        [LoggerMessage(EventId = 1257, Level = LogLevel.Warning, Message = "Could not mark pod {Pod} for deletion: {Detail}")]
        public static partial void MarkFailed(ILogger logger, string pod, string detail);

        [LoggerMessage(EventId = 1258, Level = LogLevel.Error, Message = "Could not start instance {InstanceId} of {RevisionKey}: {Detail}")]
        public static partial void StartFailed(ILogger logger, string revisionKey, string instanceId, string detail);

        [LoggerMessage(EventId = 1259, Level = LogLevel.Information,
            Message = "Adopted deployment {Deployment} of {RevisionKey} with {Replicas} replica(s) found at start")]
        public static partial void Adopted(ILogger logger, string deployment, string revisionKey, int replicas);

        [LoggerMessage(EventId = 1260, Level = LogLevel.Error, Message = "Could not list existing deployments at start: {Detail}")]
        public static partial void AdoptionListFailed(ILogger logger, string detail);

        [LoggerMessage(EventId = 1261, Level = LogLevel.Warning, Message = "Pod watch failed, listing again: {Detail}")]
        public static partial void WatchFailed(ILogger logger, string detail);

        [LoggerMessage(EventId = 1262, Level = LogLevel.Debug, Message = "Pod watch ended ({Detail}), listing again")]
        public static partial void WatchEnded(ILogger logger, string detail);

        [LoggerMessage(EventId = 1263, Level = LogLevel.Warning, Message = "Could not write the replicas of {RevisionKey}: {Detail}")]
        public static partial void ResyncFailed(ILogger logger, string revisionKey, string detail);

        [LoggerMessage(EventId = 1264, Level = LogLevel.Information, Message = "Adopted deployment {Deployment} of {RevisionKey}: {Verdict}")]
        public static partial void AdoptionDecided(ILogger logger, string deployment, string revisionKey, string verdict);

        [LoggerMessage(EventId = 1265, Level = LogLevel.Warning, Message = "Could not decide on adopted revision {RevisionKey}, trying again later: {Detail}")]
        public static partial void AdoptionFailed(ILogger logger, string revisionKey, string detail);

        [LoggerMessage(EventId = 1266, Level = LogLevel.Warning, Message = "Status sink failed for {RevisionKey}/{InstanceId} ({Phase})")]
        public static partial void SinkFailed(ILogger logger, string revisionKey, string instanceId, WorkloadPhase phase, Exception exception);
    }
}
