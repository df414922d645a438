using System.Collections.Concurrent;
using System.Threading.Channels;
using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Grains.Tests;

/// <summary>Records what the grains ask of the driver; tests report instance phases back through the grain port.</summary>
public sealed class FakeWorkloadDriver : IWorkloadDriver
{
    private readonly ConcurrentDictionary<string, Channel<WorkloadSpec>> _starts = new();
    private readonly ConcurrentDictionary<string, Channel<string>> _stops = new();

    public ConcurrentDictionary<string, WorkloadSpec> Running { get; } = new();

    public Task StartAsync(WorkloadSpec spec, CancellationToken cancellationToken)
    {
        Running[spec.InstanceId] = spec;
        Starts(spec.RevisionKey).Writer.TryWrite(spec);
        return Task.CompletedTask;
    }

    public Task StopAsync(string revisionKey, string instanceId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        if (Running.TryRemove(instanceId, out _))
        {
            Stops(revisionKey).Writer.TryWrite(instanceId);
        }

        return Task.CompletedTask;
    }

    public string GetOutput(string revisionKey, int tailLines) => $"output of {revisionKey} ({tailLines})";

    /// <summary>The next instance started for a revision (waits up to 10 s).</summary>
    public async Task<WorkloadSpec> NextStartAsync(string revisionKey) =>
        await Starts(revisionKey).Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>The next instance stopped for a revision (waits up to 10 s).</summary>
    public async Task<string> NextStopAsync(string revisionKey) =>
        await Stops(revisionKey).Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    public bool HasPendingStart(string revisionKey) => Starts(revisionKey).Reader.Count > 0;

    private Channel<WorkloadSpec> Starts(string key) => _starts.GetOrAdd(key, _ => Channel.CreateUnbounded<WorkloadSpec>());

    private Channel<string> Stops(string key) => _stops.GetOrAdd(key, _ => Channel.CreateUnbounded<string>());
}
