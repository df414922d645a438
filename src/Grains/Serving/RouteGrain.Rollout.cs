using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Traffic;

namespace Knative.Orleans.Grains.Serving;

/// <summary>Gradual rollout of a standalone route's <c>latestRevision</c> targets, keyed <c>{configuration}/{tag}</c>.</summary>
public sealed partial class RouteGrain
{
    private IGrainTimer? _rolloutTimer;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ScheduleRolloutStep();
        return Task.CompletedTask;
    }

    private RouteObservation ApplyRollout(Route route, RouteObservation observation)
    {
        var spec = route.Spec?.Traffic ?? [];
        var assigned = ConditionSet.Get(observation.Status.Conditions, ServingConditions.AllTrafficAssigned)?.Status == ConditionStatus.True;
        if (!assigned || observation.Status.Traffic is not { } traffic || traffic.Count != spec.Count)
        {
            return observation;
        }

        string Key(TrafficTarget _, int i) => (spec[i].ConfigurationName ?? "") + "/" + (spec[i].Tag ?? "");
        var duration = RolloutDurations.Of(route.Metadata?.Annotations, options.Value.RolloutDuration);
        var now = time.GetUtcNow();
        var previous = state.State.Rollouts.ToDictionary(r => r.Key, StringComparer.Ordinal);
        var next = new Dictionary<string, ConfigurationRollout>(StringComparer.Ordinal);
        for (var i = 0; i < traffic.Count; i++)
        {
            if (traffic[i].LatestRevision == true && traffic[i].RevisionName is { } revision && !next.ContainsKey(Key(traffic[i], i)))
            {
                var key = Key(traffic[i], i);
                next[key] = RolloutPlanner.Next(previous.GetValueOrDefault(key), key, (int)(traffic[i].Percent ?? 0), revision, duration, now);
            }
        }

        state.State.Rollouts = [.. next.Values];
        var expanded = RolloutPlanner.Expand(traffic, next, Key);
        return observation with { Status = observation.Status with { Traffic = expanded }, Targets = RolloutPlanner.Targets(expanded) };
    }

    private async Task ObserveRolloutAsync()
    {
        if (state.State.Rollouts.Any(r => r.InProgress && r.StepDurationMs == 0))
        {
            var duration = RolloutDurations.Of(state.State.Route?.Metadata?.Annotations, options.Value.RolloutDuration);
            var now = time.GetUtcNow();
            state.State.Rollouts = state.State.Rollouts.Select(r => RolloutPlanner.ObserveReady(r, duration, now)).ToList();
            await state.WriteStateAsync();
        }

        ScheduleRolloutStep();
    }

    private Task RolloutStepAsync() => state.State.Route is null ? Task.CompletedTask : ReconcileAsync();

    private void ScheduleRolloutStep()
    {
        _rolloutTimer?.Dispose();
        _rolloutTimer = null;
        if (state.State.Route is null || RolloutPlanner.NextStepAt(state.State.Rollouts) is not { } at)
        {
            return;
        }

        var due = at - time.GetUtcNow();
        _rolloutTimer = this.RegisterGrainTimer(static (self, _) => self.RolloutStepAsync(), this,
            new GrainTimerCreationOptions { DueTime = due < TimeSpan.Zero ? TimeSpan.Zero : due, Period = Timeout.InfiniteTimeSpan, KeepAlive = true });
    }
}
