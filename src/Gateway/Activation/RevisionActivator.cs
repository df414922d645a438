using System.Collections.Concurrent;
using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Gateway.Metrics;
using Knative.Orleans.Gateway.Routing;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Gateway.Activation;

/// <summary>
/// The activator: gets a revision's ready endpoints, holding the request while the revision scales from zero.
/// </summary>
/// <remarks>
/// All requests held for one revision share one activation (one ActivateAsync, then WaitForReadyAsync calls).
/// Each request waits at most the revision's timeoutSeconds counted from its arrival (300 s until the revision
/// told us), so time spent held counts toward the request timeout as in Knative. A shared activation gives up after
/// timeoutSeconds from its own start; requests that still have time start the next one.
/// </remarks>
public sealed partial class RevisionActivator(
    IRoutingSource source,
    RouteCache cache,
    MetricsReporter metrics,
    TimeProvider timeProvider,
    IOptions<GatewayOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<RevisionActivator> logger)
{
    /// <summary>Knative's <c>revision-timeout-seconds</c>: the hold limit while a revision's own is unknown.</summary>
    public const int DefaultTimeoutSeconds = 300;

    // Pause before a held request retries after an activation ended without a verdict (grain call failed, or the
    // shared activation reached its own deadline); bounds the grain calls per revision while a silo fails over.
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, SharedActivation> _activations = new(StringComparer.Ordinal);

    /// <summary>
    /// Ready endpoints of <paramref name="revisionKey"/>: from the cache when it has a ready instance, otherwise after
    /// activating the revision and holding the request until an instance is ready, the revision fails, the timeout
    /// passes (counted from <paramref name="arrivalTimestamp"/>, a <see cref="TimeProvider.GetTimestamp"/> value) or
    /// the client goes away.
    /// </summary>
    public async Task<ActivationResult> GetReadyEndpointsAsync(string revisionKey, long arrivalTimestamp, CancellationToken cancellationToken)
    {
        var cached = cache.TryGetEndpoints(revisionKey, out var known) ? known : null;
        if (cached is { Ready.Length: > 0 })
        {
            return ActivationResult.Ready(cached);
        }

        var timeout = TimeSpan.FromSeconds(TimeoutSecondsOf(cached));
        var timeoutKnown = cached is not null;
        try
        {
            while (true)
            {
                var activation = GetOrStart(revisionKey);
                if (!timeoutKnown)
                {
                    var seconds = await activation.TimeoutSeconds.Task.WaitAsync(Remaining(arrivalTimestamp, timeout), timeProvider, cancellationToken);
                    if (seconds > 0)
                    {
                        timeout = TimeSpan.FromSeconds(seconds);
                        timeoutKnown = true;
                    }
                }

                var result = await activation.Completion.Task.WaitAsync(Remaining(arrivalTimestamp, timeout), timeProvider, cancellationToken);
                if (result is { } verdict)
                {
                    return verdict;
                }

                await Task.Delay(Min(RetryDelay, Remaining(arrivalTimestamp, timeout)), timeProvider, cancellationToken);
            }
        }
        catch (TimeoutException)
        {
            return ActivationResult.TimedOut;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ActivationResult.Canceled;
        }
    }

    private static int TimeoutSecondsOf(RevisionEndpoints? endpoints) =>
        endpoints is { TimeoutSeconds: > 0 } ? endpoints.TimeoutSeconds : DefaultTimeoutSeconds;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static ActivationResult? Classify(RevisionEndpoints endpoints) => endpoints switch
    {
        { Exists: false } => ActivationResult.NotFound,
        { Ready.Length: > 0 } => ActivationResult.Ready(endpoints),
        { Failed: true } => ActivationResult.Failed(endpoints.Message),
        _ => null,
    };

    // Throws TimeoutException when nothing is left, which GetReadyEndpointsAsync turns into TimedOut.
    private TimeSpan Remaining(long arrivalTimestamp, TimeSpan timeout)
    {
        var remaining = timeout - timeProvider.GetElapsedTime(arrivalTimestamp);
        return remaining > TimeSpan.Zero ? remaining : throw new TimeoutException();
    }

    private SharedActivation GetOrStart(string revisionKey)
    {
        if (_activations.TryGetValue(revisionKey, out var existing))
        {
            return existing;
        }

        var created = new SharedActivation();
        var winner = _activations.GetOrAdd(revisionKey, created);
        if (ReferenceEquals(winner, created))
        {
            // The first held request of a revision at zero: tell its autoscaler now rather than at the next tick.
            metrics.ReportNow(revisionKey);
            _ = RunAsync(revisionKey, created);
        }

        return winner;
    }

    private async Task RunAsync(string revisionKey, SharedActivation activation)
    {
        var started = timeProvider.GetTimestamp();
        var coldStart = false;
        ActivationResult? result = null;
        try
        {
            var endpoints = cache.ApplyEndpoints(await source.ActivateAsync(revisionKey));
            var seconds = TimeoutSecondsOf(endpoints);
            activation.TimeoutSeconds.TrySetResult(seconds);
            while ((result = Classify(endpoints)) is null)
            {
                if (!coldStart)
                {
                    coldStart = true;
                    Log.ColdStartBegin(logger, revisionKey);
                }

                var remaining = TimeSpan.FromSeconds(seconds) - timeProvider.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero)
                {
                    break;
                }

                var wait = Min(remaining, options.Value.WaitForReadyInterval);
                endpoints = cache.ApplyEndpoints(await source.WaitForReadyAsync(revisionKey, wait, lifetime.ApplicationStopping));
            }
        }
        catch (Exception ex)
        {
            activation.TimeoutSeconds.TrySetResult(0);
            if (!lifetime.ApplicationStopping.IsCancellationRequested)
            {
                Log.ActivationFailed(logger, revisionKey, ex);
            }
        }
        finally
        {
            // Remove before completing, so that a request that retries finds no finished activation.
            _activations.TryRemove(new KeyValuePair<string, SharedActivation>(revisionKey, activation));
            activation.Completion.TrySetResult(result);
            if (coldStart)
            {
                var outcome = result?.Outcome.ToString() ?? "NotReady";
                Log.ColdStartEnd(logger, revisionKey, outcome, (long)timeProvider.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }

    private sealed class SharedActivation
    {
        /// <summary>The revision's timeoutSeconds once ActivateAsync answered; 0 when it failed.</summary>
        public TaskCompletionSource<int> TimeoutSeconds { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The verdict, or null when the activation ended without one (retry).</summary>
        public TaskCompletionSource<ActivationResult?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
