namespace Knative.Orleans.Grains.Routing;

/// <summary>
/// Versions of routing snapshots. Gateways replace a snapshot only with a higher version, and a grain's in-memory counter
/// restarts when it is reactivated, so versions start from the clock: strictly increasing within an activation and,
/// with a sane clock, across activations.
/// </summary>
public static class SnapshotVersion
{
    /// <summary>Advances <paramref name="last"/> to the next version and returns it.</summary>
    public static long Next(ref long last, TimeProvider time) => last = Math.Max(last + 1, time.GetUtcNow().UtcTicks);
}
