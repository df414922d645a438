using Knative.Orleans.Contracts.Serving;
using Microsoft.Extensions.Logging;

namespace Knative.Orleans.Grains.Serving;

/// <summary>Stamping the revision of the service's template (its Configuration's job in Knative).</summary>
public sealed partial class ServiceGrain
{
    /// <summary>
    /// Stamps the revision of <paramref name="desired"/>'s template at configuration generation <paramref name="generation"/>
    /// and records it; the state is written by the caller. Stamping first is idempotent: a crash before the state write
    /// re-stamps the same revision on retry. When the (BYO) name is held by a conflicting revision (another spec or
    /// configuration) nothing is stamped and <see cref="ServiceState.RevisionNameTaken"/> is set: Knative's Configuration
    /// fails the create with AlreadyExists and the Service reports <c>RevisionNameTaken</c>, keeping its traffic.
    /// </summary>
    private async Task StampAsync(Service desired, long generation, string user, DateTimeOffset now)
    {
        var revision = ServiceResources.MakeRevision(desired, generation, user);
        var revisionName = revision.Metadata!.Name!;
        if (!await GrainFactory.GetGrain<IRevisionGrain>(Namespace + "/" + revisionName).CreateAsync(revision))
        {
            state.State.RevisionNameTaken = revisionName;
            LogNameTaken(logger, this.GetPrimaryKeyString(), revisionName);
            return;
        }

        state.State.RevisionNameTaken = null;
        // A BYO name the service used before, with the same spec, is the same revision: it keeps its known readiness.
        var previous = state.State.Revisions.Find(r => r.Name == revisionName);
        state.State.Revisions.RemoveAll(r => r.Name == revisionName);
        state.State.Revisions.Add(new RevisionRecord
        {
            Name = revisionName,
            ConfigurationGeneration = generation,
            CreatedAt = now,
            Preserved = IsPreserved(revision),
            Ready = previous?.Ready ?? "Unknown",
            Reason = previous?.Reason,
            Message = previous?.Message,
        });
        LogStamped(logger, this.GetPrimaryKeyString(), revisionName, generation);
    }

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Service {ServiceKey}: the revision name {RevisionName} is taken by a conflicting Revision")]
    private static partial void LogNameTaken(ILogger logger, string serviceKey, string revisionName);
}
