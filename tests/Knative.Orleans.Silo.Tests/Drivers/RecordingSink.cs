using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Silo.Tests.Drivers;

/// <summary>Records every report and lets a test await the n-th report of a phase, with a timeout instead of sleeps.</summary>
internal sealed class RecordingSink : IWorkloadStatusSink
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly List<WorkloadStatus> _history = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, called before recording; an exception it throws is thrown to the driver after recording.</summary>
    public Func<WorkloadStatus, Exception?>? Fault { get; init; }

    public Task ReportAsync(WorkloadStatus status)
    {
        TaskCompletionSource changed;
        lock (_history)
        {
            _history.Add(status);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.SetResult();
        return Fault?.Invoke(status) is { } fault ? Task.FromException(fault) : Task.CompletedTask;
    }

    public IReadOnlyList<WorkloadStatus> History(string instanceId)
    {
        lock (_history)
        {
            return _history.Where(s => s.InstanceId == instanceId).ToList();
        }
    }

    public IReadOnlyList<WorkloadPhase> Phases(string instanceId) => History(instanceId).Select(s => s.Phase).ToList();

    public async Task<WorkloadStatus> WaitAsync(string instanceId, WorkloadPhase phase, int occurrence = 1, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            Task changed;
            lock (_history)
            {
                var matches = _history.Where(s => s.InstanceId == instanceId && s.Phase == phase).ToList();
                if (matches.Count >= occurrence)
                {
                    return matches[occurrence - 1];
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"{instanceId} did not report {phase} #{occurrence}; reports: [{string.Join(", ", Phases(instanceId))}]");
            }
        }
    }
}
