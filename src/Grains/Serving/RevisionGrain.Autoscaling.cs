using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Autoscaling;
using Knative.Orleans.Grains.Ports;
using Microsoft.Extensions.Logging;

namespace Knative.Orleans.Grains.Serving;

/// <summary>The KPA wiring: gateway samples into the metric window, the decider and the bounds on every tick.</summary>
public sealed partial class RevisionGrain
{
    // In memory only, as in Knative: a reactivated grain starts a new decider (in panic when > 1 instance is ready).
    private DeciderSpec? _spec;
    private MetricWindow? _window;
    private DeciderState? _decider;
    private DateTimeOffset _lastSampleAt;
    private readonly Dictionary<string, GatewaySecond> _gatewaySeconds = new(StringComparer.Ordinal);
    private bool _coldStartRequested;

    /// <summary>The result of one autoscaling tick.</summary>
    private readonly record struct TickDecision(int Desired, string Reason, ActiveCondition Active);

    /// <inheritdoc />
    public async Task SetRoutedAsync(bool routed)
    {
        if (state.State.Revision is null || state.State.Routed == routed)
        {
            return;
        }

        state.State.Routed = routed;
        await state.WriteStateAsync();
        await ReconcileAsync();
    }

    private DeciderSpec Spec()
    {
        var revision = state.State.Revision!;
        return _spec ??= DeciderSpecBuilder.Build(autoscaler, revision.Metadata?.Annotations, revision.Spec?.ContainerConcurrency ?? 0);
    }

    private MetricWindow Window() => _window ??= new MetricWindow(Spec().StableWindow, Spec().AggregationAlgorithm);

    /// <summary>Feeds one gateway sample (or a held request at zero) into the metric window.</summary>
    private void Record(RevisionMetricSample sample, DateTimeOffset now)
    {
        var value = Spec().ScalingMetric == ScalingMetric.Rps ? sample.RequestCount : sample.AverageConcurrency;
        // One bucket per report of a gateway; a cold-start poke and the report of its second count once (GatewaySecond).
        var received = now.ToUnixTimeSeconds();
        var (second, add, next) = GatewaySecond.Add(
            _gatewaySeconds.TryGetValue(sample.GatewayId, out var known) ? known : null, received, value, sample.IsPoke);
        if (_gatewaySeconds.Count > 1)
        {
            var expired = received - (long)GatewayReportExpiry.TotalSeconds;
            foreach (var stale in _gatewaySeconds.Where(g => g.Value.LastReport < expired && g.Value.Second < expired).Select(g => g.Key).ToList())
            {
                _gatewaySeconds.Remove(stale);
            }
        }

        _gatewaySeconds[sample.GatewayId] = next;
        Window().Record(second == received ? now : DateTimeOffset.FromUnixTimeSeconds(second), add);
        _lastSampleAt = now;
    }

    private TickDecision Decide(DateTimeOffset now)
    {
        var spec = Spec();
        var ready = _instances.Values.Count(i => i.Phase == WorkloadPhase.Ready && !i.Stopping);
        var failed = ConditionSet.Get(state.State.Conditions, ServingConditions.Ready)?.Status == ConditionStatus.False;
        if (now - _lastSampleAt >= TickPeriod)
        {
            // No gateway reported lately: that is zero load, and the window must know it (nothing written for a whole
            // window would mean "no data" and freeze the last decision).
            Window().Record(now, 0);
        }

        _decider ??= DeciderState.Initial(ready, now);
        var reachable = ScaleBounds.IsReachable(state.State.Routed, failed, ready);
        // Up to the latest complete second: the current one is in progress until the gateways' next report (MetricReadTime).
        var snapshot = Window().Snapshot(MetricReadTime.At(now, _lastSampleAt, GatewayReportPeriod), spec.StableWindow, spec.PanicWindow);
        var (decision, next) = Decider.Decide(_decider, spec, snapshot, ready, reachable, now);
        _decider = next;
        if (_coldStartRequested && ready > 0)
        {
            _coldStartRequested = false;
        }
        else if (_coldStartRequested && decision.DesiredScale < 1)
        {
            decision = decision with { DesiredScale = 1 };
        }

        var bounds = ScaleBounds.Apply(state.State.Bounds ?? ScaleBoundsState.Initial(spec, now), spec, new ScaleBoundsInput
        {
            DesiredScale = decision.DesiredScale,
            ReadyCount = ready,
            Reachable = state.State.Routed,
            Failed = failed,
            Now = now,
        });
        _bounds = bounds.Next;
        if (bounds.Replicas != state.State.DesiredReplicas)
        {
            LogDecision(logger, Key, decision.Mode, decision.DesiredScale, bounds.Replicas, decision.StableDesired, decision.PanicDesired,
                decision.ObservedStable, decision.ObservedPanic, decision.ExcessBurstCapacity, ready, reachable);
        }

        var reason = decision.HasData
            ? $"{decision.Mode} mode, observed stable {decision.ObservedStable:0.##} panic {decision.ObservedPanic:0.##}"
            : "no metrics yet";
        return new TickDecision(bounds.Replicas, reason, bounds.Next.Active);
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information,
        Message = "Revision {RevisionKey} autoscaler: mode {Mode}, desired {DesiredScale}, bounded {Replicas}, stable desired {StableDesired}, " +
            "panic desired {PanicDesired}, observed stable {ObservedStable}, observed panic {ObservedPanic}, excess burst capacity {ExcessBurstCapacity}, " +
            "ready {ReadyCount}, reachable {Reachable}")]
    private static partial void LogDecision(ILogger logger, string revisionKey, DeciderMode mode, int desiredScale, int replicas,
        int stableDesired, int panicDesired, double observedStable, double observedPanic, int excessBurstCapacity, int readyCount, bool reachable);
}
