using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Grains.Eventing;

/// <summary>Persisted state of a <see cref="TriggerGrain"/>.</summary>
[GenerateSerializer, Alias("kn.TriggerState")]
public sealed class TriggerState
{
    /// <summary>The trigger as stored; null when it does not exist.</summary>
    [Id(0)] public Trigger? Trigger { get; set; }

    /// <summary>Position of the last broker event finished (delivered, filtered out or dead-lettered).</summary>
    [Id(1)] public long Cursor { get; set; }

    /// <summary>Bumped on every stored change of the trigger (metadata.resourceVersion).</summary>
    [Id(2)] public long ResourceVersion { get; set; }
}
