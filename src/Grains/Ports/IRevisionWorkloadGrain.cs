namespace Knative.Orleans.Grains.Ports;

/// <summary>The revision grain's inbound port for driver reports (same grain as <c>IRevisionGrain</c>).</summary>
[Alias("kn.IRevisionWorkloadGrain")]
public interface IRevisionWorkloadGrain : IGrainWithStringKey
{
    /// <summary>An instance changed phase.</summary>
    [Alias("ReportWorkload")]
    Task ReportWorkloadAsync(WorkloadStatus status);
}

/// <summary>Delivers driver reports to the revision grain that owns the instance.</summary>
public sealed class GrainWorkloadStatusSink(IGrainFactory grains) : IWorkloadStatusSink
{
    /// <inheritdoc />
    public Task ReportAsync(WorkloadStatus status) =>
        grains.GetGrain<IRevisionWorkloadGrain>(status.RevisionKey).ReportWorkloadAsync(status);
}
