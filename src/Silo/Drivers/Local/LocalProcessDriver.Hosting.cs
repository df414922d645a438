using Microsoft.Extensions.Hosting;

namespace Knative.Orleans.Silo.Drivers.Local;

/// <summary>Driver start (reaping leftovers) and platform shutdown (stopping every workload).</summary>
public sealed partial class LocalProcessDriver
{
    /// <summary>Reaps leftovers of a previous run and starts the spawner thread; <see cref="StartAsync(WorkloadSpec, CancellationToken)"/> does it too if needed.</summary>
    Task IHostedService.StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            EnsureStarted();
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops every instance (platform shutdown); see <see cref="LocalDriverOptions.ShutdownTimeout"/>.</summary>
    Task IHostedService.StopAsync(CancellationToken cancellationToken) => ShutdownAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await ShutdownAsync().ConfigureAwait(false);

    /// <summary>Blocks until shutdown completes (bounded by <see cref="LocalDriverOptions.ShutdownTimeout"/> plus 2 s); prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => ShutdownAsync().GetAwaiter().GetResult();

    /// <summary>Runs once, under <see cref="_gate"/>, before the first workload starts (never after shutdown began).</summary>
    private void EnsureStarted()
    {
        if (_spawner is not null || _shutdown is not null)
        {
            return;
        }

        var reaped = _records.ReapLeftovers();
        Log.DriverStarted(_logger, _useWrapper, reaped.Count);
        _spawner = new ProcessSpawner();
        _reporter = Task.Run(ReportLoopAsync);
    }

    private Task ShutdownAsync()
    {
        lock (_gate)
        {
            return _shutdown ??= ShutdownCoreAsync();
        }
    }

    private async Task ShutdownCoreAsync()
    {
        await Task.Yield();
        var instances = _instances.Values.ToArray();
        Log.ShuttingDown(_logger, instances.Length);
        using (var deadline = new CancellationTokenSource(_options.ShutdownTimeout, _time))
        {
            try
            {
                await Task.WhenAll(instances.Select(i => StopInstanceAsync(i, _options.StopGracePeriod, deadline.Token))).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                foreach (var instance in instances.Where(i => i.Pid > 0 && !i.Exited.IsCompleted))
                {
                    ProcessSignals.SignalProcessAndGroup(instance.Pid, ProcessSignals.SigKill);
                }
            }
        }

        _reports.Writer.TryComplete();
        await Task.WhenAny(_reporter, Task.Delay(TimeSpan.FromSeconds(2), _time)).ConfigureAwait(false);
        _spawner?.Dispose();
        _prober.Dispose();
    }
}
