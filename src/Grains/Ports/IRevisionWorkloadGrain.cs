namespace Knative.Orleans.Grains.Ports;

/// <summary>The revision grain's inbound port for driver reports (same grain as <c>IRevisionGrain</c>).</summary>
[Alias("kn.IRevisionWorkloadGrain")]
public interface IRevisionWorkloadGrain : IGrainWithStringKey
{
    /// <summary>An instance changed phase.</summary>
    [Alias("ReportWorkload")]
    Task ReportWorkloadAsync(WorkloadStatus status);

    /// <summary>Runs one scaling decision now (the 2 s timer does the same); used by tests with a fake clock.</summary>
    [Alias("Tick")]
    Task TickAsync();
}

/// <summary>Delivers driver reports to the revision grain that owns the instance.</summary>
public sealed class GrainWorkloadStatusSink(IGrainFactory grains) : IWorkloadStatusSink
{
    /// <inheritdoc />
    public Task ReportAsync(WorkloadStatus status) =>
        grains.GetGrain<IRevisionWorkloadGrain>(status.RevisionKey).ReportWorkloadAsync(status);
}
