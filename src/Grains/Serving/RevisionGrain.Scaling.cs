using System.Globalization;
using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Autoscaling;
using Knative.Orleans.Grains.Ports;
using Knative.Orleans.Grains.Routing;

namespace Knative.Orleans.Grains.Serving;

public sealed partial class RevisionGrain
{
    private static readonly TimeSpan TickPeriod = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan GatewayReportExpiry = TimeSpan.FromSeconds(10);

    // How often each gateway reports (the gateway's MetricsReporter.Interval).
    private static readonly TimeSpan GatewayReportPeriod = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public async Task ReportWorkloadAsync(WorkloadStatus status)
    {
        if (!_instances.TryGetValue(status.InstanceId, out var instance))
        {
            if (status.Phase != WorkloadPhase.Exited)
            {
                // Not ours (an older activation's, or the revision was deleted): it must not run unowned.
                await StopQuietlyAsync(status.InstanceId);
            }

            return;
        }

        var now = time.GetUtcNow();
        switch (status.Phase)
        {
            case WorkloadPhase.Starting:
                instance.Address = status.Address;
                return;
            case WorkloadPhase.Ready:
                if (!state.State.EverReady)
                {
                    await PendingRevisions.RemoveAsync(Key);
                }

                instance.Address = status.Address ?? instance.Address;
                instance.Phase = WorkloadPhase.Ready;
                instance.WasReady = true;
                state.State.EverReady = true;
                _failure = null;
                _consecutiveFailures = 0;
                LogReady(logger, Key, status.InstanceId, status.Address);
                break;
            case WorkloadPhase.Unready:
                instance.Phase = WorkloadPhase.Unready;
                break;
            case WorkloadPhase.Exited:
                _instances.Remove(status.InstanceId);
                if (!instance.Stopping)
                {
                    _consecutiveFailures++;
                    var backoff = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, _consecutiveFailures - 1)));
                    _nextStartAt = now + backoff;
                    if (!instance.WasReady)
                    {
                        var code = status.ExitCode ?? -1;
                        _failure = ("ExitCode" + code.ToString(CultureInfo.InvariantCulture), "Container failed with: " + (status.Message ?? "").Trim());
                    }

                    LogExited(logger, Key, status.InstanceId, status.ExitCode, backoff.TotalSeconds);
                }

                break;
        }

        await ReconcileAsync();
    }

    /// <summary>The periodic decision (every 2 s while the revision has or wants instances); tests call it directly.</summary>
    public Task TickAsync() => ReconcileAsync();

    private async Task ReconcileAsync()
    {
        var revision = state.State.Revision;
        if (revision is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var stale in _gatewayLoad.Where(g => now - g.Value.ReceivedAt > GatewayReportExpiry).Select(g => g.Key).ToList())
        {
            _gatewayLoad.Remove(stale);
        }

        var decision = Decide(now);
        var live = _instances.Values.Where(i => !i.Stopping).ToList();
        if (live.Count < decision.Desired && now >= _nextStartAt)
        {
            LogScale(logger, Key, live.Count, decision.Desired, decision.Reason);
            for (var i = live.Count; i < decision.Desired; i++)
            {
                await StartInstanceAsync(revision);
            }
        }
        else if (live.Count > decision.Desired)
        {
            LogScale(logger, Key, live.Count, decision.Desired, decision.Reason);
            // Not-ready instances go first, then those with the fewest requests in flight, then the newest. They leave the
            // routing snapshot (every gateway switched) before they drain and stop.
            var victims = live.OrderBy(i => i.Phase == WorkloadPhase.Ready).ThenBy(i => InFlightAt(i.Id))
                .ThenByDescending(i => i.Id, StringComparer.Ordinal)
                .Take(live.Count - decision.Desired).ToList();
            victims.ForEach(v => v.Stopping = true);
            await PublishEndpointsAsync(force: false);
            var switchedAt = time.GetUtcNow();
            foreach (var victim in victims)
            {
                if (victim.Phase == WorkloadPhase.Ready)
                {
                    victim.DrainSince = switchedAt;
                }
                else
                {
                    _instances.Remove(victim.Id); // never took traffic: nothing to drain
                    _ = StopQuietlyAsync(victim.Id);
                }
            }
        }

        StopDrained(now);
        await UpdateStatusAsync(decision.Desired, decision.Active);
        await PublishEndpointsAsync(force: false);
        if (Endpoints() is { } e && (e.Ready.Length > 0 || e.Failed))
        {
            CompleteWaiters();
        }

        if (_instances.Count > 0 || decision.Desired > 0)
        {
            _timer ??= this.RegisterGrainTimer(static (self, _) => self.ReconcileAsync(), this,
                new GrainTimerCreationOptions { DueTime = TickPeriod, Period = TickPeriod, KeepAlive = true });
        }
        else
        {
            StopTimer();
        }
    }

    private async Task StartInstanceAsync(Revision revision)
    {
        var id = $"{revision.Metadata!.Name}-{Guid.NewGuid().ToString("N")[..5]}-{++_sequence}";
        _instances[id] = new Instance(id);
        await driver.StartAsync(WorkloadSpecBuilder.Make(Key, revision, id), CancellationToken.None);
    }

    private async Task UpdateStatusAsync(int desired, ActiveCondition? active)
    {
        var ready = _instances.Values.Count(i => i.Phase == WorkloadPhase.Ready && !i.Stopping);
        var before = ConditionSet.Get(state.State.Conditions, ServingConditions.Ready);
        var facts = new RevisionFacts(ready, desired, state.State.EverReady, _failure?.Reason, _failure?.Message, active);
        var conditions = RevisionConditions.Build(state.State.Conditions, facts, time.GetUtcNow());
        var bounds = _bounds ?? state.State.Bounds;
        // Records compare by value: no serialization on the 2 s tick.
        if (!_unsaved && conditions.SequenceEqual(state.State.Conditions) && desired == state.State.DesiredReplicas && Equals(bounds, state.State.Bounds))
        {
            return;
        }

        if ((desired > 0) != (state.State.DesiredReplicas > 0))
        {
            await (desired > 0 ? ScaledRevisions.AddAsync(Key) : ScaledRevisions.RemoveAsync(Key));
        }

        state.State.Conditions = conditions;
        state.State.DesiredReplicas = desired;
        state.State.Bounds = bounds;
        await SaveAsync();
        var after = ConditionSet.Get(conditions, ServingConditions.Ready)!;
        if (before?.Status != after.Status || before?.Message != after.Message)
        {
            var labels = state.State.Revision?.Metadata?.Labels;
            var readiness = new RevisionReadiness
            {
                RevisionName = state.State.Revision!.Metadata!.Name!,
                Ready = after.Status,
                Reason = after.Reason,
                Message = after.Message,
            };
            // The parent: the owning Service, or else a standalone Configuration.
            if (labels?.GetValueOrDefault(ServingLabels.Service) is { } service)
            {
                await GrainFactory.GetGrain<IServiceGrain>(Key.Split('/')[0] + "/" + service).RevisionChangedAsync(readiness);
            }
            else if (labels?.GetValueOrDefault(ServingLabels.Configuration) is { } configuration)
            {
                await GrainFactory.GetGrain<IConfigurationGrain>(Key.Split('/')[0] + "/" + configuration).RevisionChangedAsync(readiness);
            }
        }
    }

    private async Task PublishEndpointsAsync(bool force)
    {
        var current = Endpoints();
        if (!force && _published is { } p && p.Failed == current.Failed && p.Message == current.Message && p.Exists == current.Exists
            && p.Ready.SequenceEqual(current.Ready))
        {
            return;
        }

        SnapshotVersion.Next(ref _version, time);
        _published = Endpoints();
        await GrainFactory.GetGrain<IRoutingHubGrain>(0).PublishEndpointsAsync(_published);
    }

    private async Task StopQuietlyAsync(string instanceId)
    {
        try
        {
            await driver.StopAsync(Key, instanceId, TimeSpan.FromSeconds(options.Value.StopGracePeriodSeconds), CancellationToken.None);
        }
        catch (Exception e)
        {
            LogStopFailed(logger, e, Key, instanceId);
        }
    }

    private void CompleteWaiters()
    {
        foreach (var waiter in _waiters.ToList())
        {
            waiter.TrySetResult();
        }
    }

    private void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }
}
