using System.Globalization;

namespace Knative.Orleans.Silo.Hosting;

/// <summary>
/// How fast a dead silo is declared dead (Orleans <c>ClusterMembershipOptions</c>; keys <c>Cluster:*</c>). Every silo
/// probes a few others every <see cref="ProbeTimeout"/>; after <see cref="NumMissedProbesLimit"/> missed probes it
/// suspects the silo, and <see cref="NumVotesForDeathDeclaration"/> suspicions (capped at the number of live silos)
/// declare it dead. A killed process refuses connections, so its probes fail at once: detection takes about
/// <c>ProbeTimeout × NumMissedProbesLimit</c>. Too short values declare live but busy silos dead (see docs/clustering.md).
/// </summary>
public sealed record FailureDetection
{
    /// <summary>Default of <see cref="ProbeTimeout"/> (Orleans: 5 s).</summary>
    public static readonly TimeSpan DefaultProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Probe period and timeout (<c>Cluster:ProbeTimeout</c>, default 2 s, in [500 ms; 1 min]).</summary>
    public TimeSpan ProbeTimeout { get; init; } = DefaultProbeTimeout;

    /// <summary>Missed probes before a silo is suspected (<c>Cluster:NumMissedProbesLimit</c>, default 2 (Orleans: 3), in [1; 10]).</summary>
    public int NumMissedProbesLimit { get; init; } = 2;

    /// <summary>Suspicions that declare a silo dead (<c>Cluster:NumVotesForDeathDeclaration</c>, default 2, in [1; 10]).</summary>
    public int NumVotesForDeathDeclaration { get; init; } = 2;

    /// <summary>Reads the three keys, adding an error for each invalid one.</summary>
    public static FailureDetection Read(IConfiguration configuration, List<string> errors)
    {
        var defaults = new FailureDetection();
        var probe = defaults.ProbeTimeout;
        if (configuration["Cluster:ProbeTimeout"] is { } text)
        {
            if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out probe)
                || probe < TimeSpan.FromMilliseconds(500) || probe > TimeSpan.FromMinutes(1))
            {
                errors.Add($"Cluster:ProbeTimeout = {text}, must be a duration in [00:00:00.500; 00:01:00]");
                probe = defaults.ProbeTimeout;
            }
        }

        return new FailureDetection
        {
            ProbeTimeout = probe,
            NumMissedProbesLimit = PlatformConfiguration.ReadInt(configuration, "Cluster:NumMissedProbesLimit", defaults.NumMissedProbesLimit, 1, 10, errors),
            NumVotesForDeathDeclaration = PlatformConfiguration.ReadInt(
                configuration, "Cluster:NumVotesForDeathDeclaration", defaults.NumVotesForDeathDeclaration, 1, 10, errors),
        };
    }
}
