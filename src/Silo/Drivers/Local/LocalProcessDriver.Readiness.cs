using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Silo.Drivers.Local;

/// <summary>Readiness probing of one instance, as Knative's queue-proxy does it.</summary>
public sealed partial class LocalProcessDriver
{
    private const int DefaultFailureThreshold = 3;

    /// <summary>
    /// Until the first success: every <see cref="LocalDriverOptions.ProbePeriod"/> (50 ms, each try cut after
    /// <see cref="LocalDriverOptions.ProbeTimeout"/>) when <c>periodSeconds</c> is 0 or absent, else every <c>periodSeconds</c>
    /// with <c>timeoutSeconds</c> (default 1 s) per try. Then Ready, and probing goes on every <c>periodSeconds</c> (or
    /// <see cref="LocalDriverOptions.ReadyProbePeriod"/>): <c>failureThreshold</c> (default 3) failures in a row report
    /// Unready, the next success Ready again. <c>successThreshold</c> is always 1 (Knative allows nothing else).
    /// </summary>
    private async Task ProbeLoopAsync(LocalInstance instance)
    {
        var spec = instance.Spec;
        var probe = spec.ReadinessProbe;
        var token = instance.Lifetime.Token;
        var aggressive = probe?.PeriodSeconds is null or <= 0;
        var attemptTimeout = probe?.TimeoutSeconds is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromSeconds(1);
        var period = aggressive ? _options.ProbePeriod : TimeSpan.FromSeconds(probe!.PeriodSeconds!.Value);
        var timeout = aggressive ? _options.ProbeTimeout : attemptTimeout;
        var readyPeriod = aggressive ? _options.ReadyProbePeriod : period;
        var threshold = probe?.FailureThreshold is > 0 and var failures ? failures : DefaultFailureThreshold;
        var h2c = string.Equals(spec.PortName, "h2c", StringComparison.OrdinalIgnoreCase);
        if (probe is { Exec: not null } or { Grpc: not null })
        {
            Log.ProbeUnsupported(_logger, spec.RevisionKey, spec.InstanceId);
        }

        try
        {
            if (probe?.InitialDelaySeconds is > 0 and var delay)
            {
                await Task.Delay(TimeSpan.FromSeconds(delay), _time, token).ConfigureAwait(false);
            }

            while (!await _prober.ProbeAsync(probe, instance.Port, h2c, timeout, token).ConfigureAwait(false))
            {
                await Task.Delay(period, _time, token).ConfigureAwait(false);
            }

            Log.Ready(_logger, instance.Pid, spec.RevisionKey, spec.InstanceId, (long)_time.GetElapsedTime(instance.SpawnTimestamp).TotalMilliseconds);
            Report(instance, WorkloadPhase.Ready);
            var ready = true;
            var failed = 0;
            while (true)
            {
                await Task.Delay(readyPeriod, _time, token).ConfigureAwait(false);
                if (await _prober.ProbeAsync(probe, instance.Port, h2c, attemptTimeout, token).ConfigureAwait(false))
                {
                    failed = 0;
                    if (!ready)
                    {
                        ready = true;
                        Log.Ready(_logger, instance.Pid, spec.RevisionKey, spec.InstanceId, (long)_time.GetElapsedTime(instance.SpawnTimestamp).TotalMilliseconds);
                        Report(instance, WorkloadPhase.Ready);
                    }
                }
                else if (++failed >= threshold && ready && !token.IsCancellationRequested)
                {
                    ready = false;
                    Log.Unready(_logger, instance.Pid, spec.RevisionKey, spec.InstanceId, failed);
                    Report(instance, WorkloadPhase.Unready);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The process exited or is being stopped.
        }
        catch (Exception ex)
        {
            Log.ProbeLoopFailed(_logger, spec.RevisionKey, spec.InstanceId, ex);
        }
    }
}
