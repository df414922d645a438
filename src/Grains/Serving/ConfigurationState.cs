using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Serving;

/// <summary>Persisted state of a <see cref="ConfigurationGrain"/>.</summary>
[GenerateSerializer, Alias("kn.ConfigurationState")]
public sealed class ConfigurationState
{
    /// <summary>The configuration as stored: metadata (generation, uid, annotations) and the defaulted spec; status below.</summary>
    [Id(0)] public Configuration? Configuration { get; set; }

    /// <summary>Revisions stamped by the configuration, oldest first.</summary>
    [Id(1)] public List<RevisionRecord> Revisions { get; set; } = [];

    /// <summary>The computed status (kept so that lastTransitionTime is stable).</summary>
    [Id(2)] public ConfigurationStatus? Status { get; set; }

    /// <summary>Bumped on every stored change (metadata.resourceVersion).</summary>
    [Id(3)] public long ResourceVersion { get; set; }

    /// <summary>Names of the routes (same namespace) that follow this configuration or one of its revisions.</summary>
    [Id(4)] public HashSet<string> Watchers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The BYO revision name of the current template when a conflicting revision holds it; null otherwise.</summary>
    [Id(5)] public string? RevisionNameTaken { get; set; }
}
