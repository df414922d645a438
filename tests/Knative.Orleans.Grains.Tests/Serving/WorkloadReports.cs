using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Grains.Tests.Serving;

/// <summary>Plays the driver's part: reports an instance's phase to its revision grain.</summary>
internal static class WorkloadReports
{
    public static Task ReportAsync(this IClusterClient client, WorkloadSpec start, WorkloadPhase phase, string? address = null,
        int? exitCode = null, string? message = null) =>
        client.GetGrain<IRevisionWorkloadGrain>(start.RevisionKey).ReportWorkloadAsync(new WorkloadStatus
        {
            RevisionKey = start.RevisionKey,
            InstanceId = start.InstanceId,
            Phase = phase,
            Address = address,
            ExitCode = exitCode,
            Message = message,
        });
}
