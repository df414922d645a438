using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Traffic;

namespace Knative.Orleans.Grains.Serving;

/// <summary>
/// Gradual rollout of a service's <c>latestRevision</c> targets (<see cref="RolloutPlanner"/>): enabled by the
/// <c>serving.knative.dev/rollout-duration</c> annotation or <c>Serving:RolloutDuration</c>; a grain timer fires at each step.
/// </summary>
public sealed partial class ServiceGrain
{
    private IGrainTimer? _rolloutTimer;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ScheduleRolloutStep();
        StartGcTimer();
        return Task.CompletedTask;
    }

    /// <summary>Replaces each rolling latestRevision entry of the observation by the revisions that currently share it.</summary>
    private ServiceObservation ApplyRollout(ServiceObservation observation)
    {
        var assigned = ConditionSet.Get(observation.RouteConditions, ServingConditions.AllTrafficAssigned)?.Status == ConditionStatus.True;
        if (!assigned || observation.Status.Traffic is not { } traffic)
        {
            return observation; // keeps serving the last good split; the rollout resumes once the traffic resolves again
        }

        var duration = RolloutDurations.Of(state.State.Service?.Metadata?.Annotations, options.Value.RolloutDuration);
        var now = time.GetUtcNow();
        var previous = state.State.Rollouts.ToDictionary(r => r.Key, StringComparer.Ordinal);
        var next = traffic.Where(t => t.LatestRevision == true && t.RevisionName is not null)
            .Select(t => RolloutPlanner.Next(previous.GetValueOrDefault(t.Tag ?? ""), t.Tag ?? "", (int)(t.Percent ?? 0), t.RevisionName!, duration, now))
            .GroupBy(r => r.Key, StringComparer.Ordinal).Select(g => g.First())
            .ToDictionary(r => r.Key, StringComparer.Ordinal);
        state.State.Rollouts = [.. next.Values];
        var expanded = RolloutPlanner.Expand(traffic, next);
        return observation with { Status = observation.Status with { Traffic = expanded }, Targets = RolloutPlanner.Targets(expanded) };
    }

    /// <summary>
    /// After a publish (the routing hub has handed the split to every gateway): a rollout whose first 1% was just published
    /// is observed ready and gets its step plan; then the timer is set for the next step.
    /// </summary>
    private async Task ObserveRolloutAsync()
    {
        if (state.State.Rollouts.Any(r => r.InProgress && r.StepDurationMs == 0))
        {
            var duration = RolloutDurations.Of(state.State.Service?.Metadata?.Annotations, options.Value.RolloutDuration);
            var now = time.GetUtcNow();
            state.State.Rollouts = state.State.Rollouts.Select(r => RolloutPlanner.ObserveReady(r, duration, now)).ToList();
            await state.WriteStateAsync();
        }

        ScheduleRolloutStep();
    }

    private Task RolloutStepAsync() => state.State.Service is null ? Task.CompletedTask : SaveAndPublishAsync();

    private void ScheduleRolloutStep()
    {
        _rolloutTimer?.Dispose();
        _rolloutTimer = null;
        if (state.State.Service is null || RolloutPlanner.NextStepAt(state.State.Rollouts) is not { } at)
        {
            return;
        }

        var due = at - time.GetUtcNow();
        _rolloutTimer = this.RegisterGrainTimer(static (self, _) => self.RolloutStepAsync(), this,
            new GrainTimerCreationOptions { DueTime = due < TimeSpan.Zero ? TimeSpan.Zero : due, Period = Timeout.InfiniteTimeSpan, KeepAlive = true });
    }
}

/// <summary>The rollout duration of a Service or Route (pure).</summary>
public static class RolloutDurations
{
    /// <summary><c>serving.knative.dev/rollout-duration</c> (or its alias <c>rolloutDuration</c>) when valid, else <paramref name="fallback"/>.</summary>
    public static TimeSpan Of(IReadOnlyDictionary<string, string>? annotations, TimeSpan fallback)
    {
        foreach (var key in new[] { "serving.knative.dev/rollout-duration", "serving.knative.dev/rolloutDuration" })
        {
            if (annotations?.GetValueOrDefault(key) is { Length: > 0 } text && GoDuration.TryParseTimeSpan(text, out var value) && value >= TimeSpan.Zero)
            {
                return value;
            }
        }

        return fallback;
    }
}
