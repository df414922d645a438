using System.Text.Json.Serialization;

namespace Knative.Orleans.Silo.Drivers.Local;

/// <summary>
/// One running workload, persisted as <c>{DataPath}/workloads/{pid}.json</c> while its process lives, e.g.
/// <c>{"pid":4242,"startTime":1234567,"revisionKey":"default/hello-00001","instanceId":"hello-00001-1"}</c>.
/// <see cref="StartTime"/> (field 22 of <c>/proc/{pid}/stat</c>) tells the process apart from a later one reusing the pid.
/// </summary>
internal sealed record WorkloadRecord(
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("startTime")] ulong StartTime,
    [property: JsonPropertyName("revisionKey")] string RevisionKey,
    [property: JsonPropertyName("instanceId")] string InstanceId);
