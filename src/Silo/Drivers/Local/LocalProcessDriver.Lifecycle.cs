using System.Diagnostics;
using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Silo.Drivers.Local;

/// <summary>Spawn, exit and stop of one instance.</summary>
public sealed partial class LocalProcessDriver
{
    private async Task SpawnAsync(LocalInstance instance)
    {
        var spec = instance.Spec;
        var workingDir = spec.WorkingDir is null ? _defaultWorkingDir : Path.GetFullPath(spec.WorkingDir, _defaultWorkingDir);
        Process? process = null;
        string? error;
        try
        {
            if (spec.WorkingDir is null)
            {
                Directory.CreateDirectory(_defaultWorkingDir);
            }

            var startInfo = WorkloadLaunch.Build(spec, instance.Port, workingDir, _useWrapper, out error);
            if (startInfo is not null)
            {
                process = await _spawner!.StartAsync(startInfo).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            error = ex.Message;
        }

        if (process is null)
        {
            error ??= "spawn failed";
            Log.SpawnFailed(_logger, spec.RevisionKey, spec.InstanceId, error);
            _output.Append(spec.RevisionKey, $"[{spec.InstanceId}] {error}");
            Report(instance, WorkloadPhase.Exited, exitCode: -1, message: error);
            _instances.TryRemove(new((spec.RevisionKey, spec.InstanceId), instance));
            instance.MarkSpawnFailed();
            return;
        }

        instance.SpawnTimestamp = _time.GetTimestamp();
        instance.Attach(process);
        process.StandardInput.Close();
        var stat = ProcStat.TryRead(instance.Pid);
        try
        {
            _records.Write(new WorkloadRecord(instance.Pid, stat?.StartTime ?? 0, spec.RevisionKey, spec.InstanceId));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.RecordFailed(_logger, _records.PathOf(instance.Pid), ex);
        }

        Log.Spawned(_logger, instance.Pid, spec.RevisionKey, spec.InstanceId, instance.Port);
        if (_useWrapper && stat is { } s && (s.ProcessGroup != instance.Pid || s.Session != instance.Pid))
        {
            Log.NotOwnGroup(_logger, instance.Pid, s.ProcessGroup);
        }

        Report(instance, WorkloadPhase.Starting);
        void OnLine(string line)
        {
            instance.AddTail(line);
            _output.Append(spec.RevisionKey, $"[{spec.InstanceId}] {line}");
        }

        var pumps = Task.WhenAll(
            Task.Run(() => OutputPump.RunAsync(process.StandardOutput.BaseStream, _options.MaxLineLength, OnLine)),
            Task.Run(() => OutputPump.RunAsync(process.StandardError.BaseStream, _options.MaxLineLength, OnLine)));
        instance.Completion = MonitorAsync(instance, pumps);
        _ = Task.Run(() => ProbeLoopAsync(instance));
        instance.MarkSpawned();
    }

    /// <summary>Waits for the process to end, cleans up after it and reports Exited unless it was stopped.</summary>
    private async Task MonitorAsync(LocalInstance instance, Task pumps)
    {
        var spec = instance.Spec;
        try
        {
            await instance.Exited.ConfigureAwait(false);
            await instance.Lifetime.CancelAsync().ConfigureAwait(false);
            var exitCode = instance.Process!.ExitCode;

            // Children left in the workload's group must not outlive it (they would also hold its output pipes open).
            ProcessSignals.SignalGroup(instance.Pid, ProcessSignals.SigKill);
            await Task.WhenAny(pumps, Task.Delay(TimeSpan.FromSeconds(2), _time)).ConfigureAwait(false);
            _records.Delete(instance.Pid);
            if (!instance.Stopping)
            {
                Log.Exited(_logger, instance.Pid, spec.RevisionKey, spec.InstanceId, exitCode);
                Report(instance, WorkloadPhase.Exited, exitCode, instance.Tail());
            }
        }
        catch (Exception ex)
        {
            Log.MonitorFailed(_logger, spec.RevisionKey, spec.InstanceId, ex);
        }
        finally
        {
            _instances.TryRemove(new((spec.RevisionKey, spec.InstanceId), instance));
            instance.Process?.Dispose();
        }
    }

    /// <summary>SIGTERM to the group, SIGKILL after the grace period, then wait until the monitor has cleaned up.</summary>
    private async Task StopInstanceAsync(LocalInstance instance, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var spec = instance.Spec;
        instance.MarkStopping();
        if (!await instance.Spawned.WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var killed = false;
        if (!instance.Exited.IsCompleted)
        {
            Log.Stopping(_logger, instance.Pid, spec.RevisionKey, spec.InstanceId, gracePeriod.TotalSeconds);
            ProcessSignals.SignalProcessAndGroup(instance.Pid, ProcessSignals.SigTerm);
            try
            {
                await instance.Exited.WaitAsync(gracePeriod, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                killed = true;
                ProcessSignals.SignalProcessAndGroup(instance.Pid, ProcessSignals.SigKill);
            }
        }

        await instance.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        Log.Stopped(_logger, instance.Pid, spec.RevisionKey, spec.InstanceId, killed);
    }
}
