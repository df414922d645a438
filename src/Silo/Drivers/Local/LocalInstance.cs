using System.Diagnostics;
using System.Threading.Channels;
using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Silo.Drivers.Local;

/// <summary>The driver's state of one workload instance, from spawn until its process is reaped.</summary>
internal sealed class LocalInstance(WorkloadSpec spec, int port)
{
    /// <summary>Lines kept for the Exited message.</summary>
    public const int TailLines = 20;

    private readonly Queue<string> _tail = new();
    private readonly TaskCompletionSource<bool> _spawned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;
    private bool _finished;

    public WorkloadSpec Spec { get; } = spec;

    public int Port { get; } = port;

    public string Address { get; } = $"http://127.0.0.1:{port}";

    /// <summary>Cancelled when the process exits or a stop begins; ends the readiness probing.</summary>
    public CancellationTokenSource Lifetime { get; } = new();

    public Process? Process { get; private set; }

    public int Pid { get; private set; }

    public long SpawnTimestamp { get; set; }

    /// <summary>Completes with true once the process runs, false when the spawn failed.</summary>
    public Task<bool> Spawned => _spawned.Task;

    /// <summary>The monitor: completes once the process is reaped, its record deleted and its exit handled.</summary>
    public Task Completion { get; set; } = Task.CompletedTask;

    /// <summary>Set by a stop; from then on nothing about this instance reaches the sink, even reports already queued.</summary>
    public bool Stopping => _stopping;

    /// <summary>Completes when the process has exited and been reaped.</summary>
    public Task Exited { get; private set; } = Task.CompletedTask;

    public void Attach(Process process)
    {
        Process = process;
        Pid = process.Id;
        Exited = process.WaitForExitAsync(CancellationToken.None);
    }

    /// <summary>Publishes the spawn; call after <see cref="Completion"/> is set, which stops wait for.</summary>
    public void MarkSpawned() => _spawned.TrySetResult(true);

    public void MarkSpawnFailed() => _spawned.TrySetResult(false);

    public void MarkStopping()
    {
        lock (_tail)
        {
            _stopping = true;
        }

        Lifetime.Cancel();
    }

    /// <summary>
    /// Queues a report unless the instance is stopping or has already reported Exited. The lock orders a probe's Ready
    /// against the monitor's Exited, so Exited is always the last report.
    /// </summary>
    public void TryReport(WorkloadStatus status, ChannelWriter<(LocalInstance Instance, WorkloadStatus Status)> reports)
    {
        lock (_tail)
        {
            if (_stopping || _finished)
            {
                return;
            }

            _finished = status.Phase == WorkloadPhase.Exited;
            reports.TryWrite((this, status));
        }
    }

    public void AddTail(string line)
    {
        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }

    public string Tail()
    {
        lock (_tail)
        {
            return string.Join('\n', _tail);
        }
    }
}
