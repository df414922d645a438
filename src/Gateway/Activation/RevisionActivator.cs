using System.Collections.Concurrent;
using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Gateway.Metrics;
using Knative.Orleans.Gateway.Routing;
using Knative.Orleans.Gateway.Throttling;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Gateway.Activation;

/// <summary>
/// The activator: brings a revision with queued requests and no ready instance up (a cold start, or every instance
/// gone), then lets its throttler dispatch the queue.
/// </summary>
/// <remarks>
/// One activation runs per revision, for as long as requests are queued with no ready instance: ActivateAsync, then
/// WaitForReadyAsync calls of at most <see cref="GatewayOptions.WaitForReadyInterval"/> each (an Orleans call times
/// out after ResponseTimeout). Every answer goes into the route cache, which refreshes the throttler; a failed or
/// missing revision rejects the queue. The requests' own timers bound how long each waits (the activation does not),
/// so when the last one times out or leaves, the activation ends after its current call. The first activation of an
/// episode pokes the revision's autoscaler at once rather than at the next metrics tick.
/// Each call is abandoned (and retried) after <see cref="GatewayOptions.WaitForReadyInterval"/> + <see cref="CallSlack"/>
/// of real time: a call already sent to a silo that dies gets no answer until Orleans' ResponseTimeout (30 s), while its
/// retry reaches the grain's new activation as soon as the silo is declared dead (about 2 s, docs/clustering.md).
/// </remarks>
public sealed partial class RevisionActivator(
    IRoutingSource source,
    RouteCache cache,
    ColdStartPoke poke,
    TimeProvider timeProvider,
    IOptions<GatewayOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<RevisionActivator> logger)
{
    // Pause before trying again after a grain call failed; bounds the calls per revision while a silo fails over.
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>How much longer than the wait it asked for a grain call may take before it is abandoned.</summary>
    internal static readonly TimeSpan CallSlack = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, RevisionThrottler> _running = new(StringComparer.Ordinal);

    /// <summary>Starts the activation of <paramref name="throttler"/>'s revision unless one is running.</summary>
    public void EnsureActivating(RevisionThrottler throttler)
    {
        ArgumentNullException.ThrowIfNull(throttler);
        if (lifetime.ApplicationStopping.IsCancellationRequested || !_running.TryAdd(throttler.RevisionKey, throttler))
        {
            return;
        }

        poke.Report(throttler.RevisionKey);
        _ = RunAsync(throttler);
    }

    private static ThrottleResult? Verdict(RevisionEndpoints endpoints) => endpoints switch
    {
        { Exists: false } => ThrottleResult.NotFound,
        { Ready.Length: > 0 } => null,
        { Failed: true } => ThrottleResult.Failed(endpoints.Message),
        _ => null,
    };

    private async Task RunAsync(RevisionThrottler throttler)
    {
        var key = throttler.RevisionKey;
        var stopping = lifetime.ApplicationStopping;
        var started = timeProvider.GetTimestamp();
        var coldStart = false;
        string? outcome = null;
        try
        {
            while (throttler.NeedsInstances && !stopping.IsCancellationRequested)
            {
                try
                {
                    var callLimit = options.Value.WaitForReadyInterval + CallSlack;
                    var endpoints = Apply(throttler, await source.ActivateAsync(key).WaitAsync(callLimit, TimeProvider.System, stopping));
                    while (throttler.NeedsInstances)
                    {
                        if (Verdict(endpoints) is { } rejection)
                        {
                            outcome = rejection.Outcome.ToString();
                            throttler.Reject(rejection);
                            return;
                        }

                        if (!coldStart)
                        {
                            coldStart = true;
                            Log.ColdStartBegin(logger, key);
                        }

                        endpoints = Apply(throttler, await source.WaitForReadyAsync(key, options.Value.WaitForReadyInterval, stopping)
                            .WaitAsync(callLimit, TimeProvider.System, stopping));
                    }
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    Log.ActivationFailed(logger, key, ex);
                    await Task.Delay(RetryDelay, timeProvider, stopping);
                }
            }
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            outcome = "Stopped";
        }
        finally
        {
            _running.TryRemove(new KeyValuePair<string, RevisionThrottler>(key, throttler));
            if (coldStart)
            {
                // Without a verdict the activation ends when an instance is ready or no request waits any more.
                outcome ??= throttler.Assigned.Count > 0 ? "Ready" : "NobodyWaiting";
                Log.ColdStartEnd(logger, key, outcome, (long)timeProvider.GetElapsedTime(started).TotalMilliseconds);
            }

            // A request may have queued after the last check and found this activation still registered.
            if (throttler.NeedsInstances)
            {
                EnsureActivating(throttler);
            }
        }
    }

    private RevisionEndpoints Apply(RevisionThrottler throttler, RevisionEndpoints endpoints)
    {
        var newest = cache.ApplyEndpoints(endpoints);
        throttler.Refresh(); // also reaches a throttler the registry has pruned meanwhile
        return newest;
    }
}
