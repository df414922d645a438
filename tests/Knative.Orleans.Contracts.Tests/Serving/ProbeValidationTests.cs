using Knative.Orleans.Contracts.Serving;
using static Knative.Orleans.Contracts.Tests.Serving.TestServices;

namespace Knative.Orleans.Contracts.Tests.Serving;

public sealed class ProbeValidationTests
{
    private const string R = "spec.template.spec.containers[0].readinessProbe";
    private const string L = "spec.template.spec.containers[0].livenessProbe";

    public static TheoryData<string, Service, string> Cases => new()
    {
        {
            "two handlers", Valid.WithReadinessProbe(new() { HttpGet = new(), TcpSocket = new() }),
            $"expected exactly one, got both: {R}.httpGet, {R}.tcpSocket"
        },
        {
            "liveness without a handler", Valid.WithContainer(c => c with { LivenessProbe = new() { PeriodSeconds = 5 } }),
            $"expected exactly one, got neither: {L}.exec, {L}.grpc, {L}.httpGet, {L}.tcpSocket"
        },
        {
            "http port other than the serving port", Valid.WithReadinessProbe(new() { HttpGet = new() { Port = Port(8081) } }),
            $"invalid value: 8081: {R}.httpGet.port\nProbe port must match container port"
        },
        {
            "tcp port other than the declared port",
            Valid.WithContainer(c => c with { Ports = [new() { ContainerPort = 9000 }], ReadinessProbe = new() { TcpSocket = new() { Port = Port(8080) } } }),
            $"invalid value: 8080: {R}.tcpSocket.port\nProbe port must match container port"
        },
        {
            "named port other than the serving port", Valid.WithReadinessProbe(new() { TcpSocket = new() { Port = Port("admin") } }),
            $"invalid value: admin: {R}.tcpSocket.port\nProbe port must match container port"
        },
        {
            "liveness port", Valid.WithContainer(c => c with { LivenessProbe = new() { HttpGet = new() { Port = Port(9999) } } }),
            $"invalid value: 9999: {L}.httpGet.port\nProbe port must match container port"
        },
        {
            "failureThreshold with aggressive probing", Valid.WithReadinessProbe(new() { HttpGet = new(), FailureThreshold = 3 }),
            $"failureThreshold is disallowed when periodSeconds is zero: {R}.failureThreshold"
        },
        {
            "timeoutSeconds with aggressive probing", Valid.WithReadinessProbe(new() { HttpGet = new(), PeriodSeconds = 0, TimeoutSeconds = 1 }),
            $"timeoutSeconds is disallowed when periodSeconds is zero: {R}.timeoutSeconds"
        },
        {
            "negative periodSeconds", Valid.WithReadinessProbe(new() { TcpSocket = new(), PeriodSeconds = -1 }),
            $"expected 0 <= -1 <= 2147483647: {R}.periodSeconds"
        },
        {
            "negative initialDelaySeconds", Valid.WithReadinessProbe(new() { TcpSocket = new(), InitialDelaySeconds = -2 }),
            $"expected 0 <= -2 <= 2147483647: {R}.initialDelaySeconds"
        },
        {
            "negative successThreshold", Valid.WithReadinessProbe(new() { TcpSocket = new(), SuccessThreshold = -1 }),
            $"expected 1 <= -1 <= 2147483647: {R}.successThreshold"
        },
        {
            "negative failureThreshold with a period", Valid.WithReadinessProbe(new() { TcpSocket = new(), PeriodSeconds = 5, FailureThreshold = -1 }),
            $"expected 1 <= -1 <= 2147483647: {R}.failureThreshold"
        },
        {
            "exec probe on the local runtime", Valid.WithReadinessProbe(new() { Exec = new() { Command = ["true"] } }),
            $"exec probes are not supported by the local process runtime: {R}.exec\nuse an httpGet or tcpSocket probe, or run on the Kubernetes runtime"
        },
        {
            "grpc probes on the local runtime",
            Valid.WithContainer(c => c with { ReadinessProbe = new() { Grpc = new() }, LivenessProbe = new() { Grpc = new() { Port = 8080 } } }),
            $"grpc probes are not supported by the local process runtime: {L}.grpc, {R}.grpc\nuse an httpGet or tcpSocket probe, or run on the Kubernetes runtime"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Probe_rules(string rule, Service service, string expected) =>
        Assert.True(expected == ServiceValidation.Validate(service).ToString(), rule + ": " + ServiceValidation.Validate(service));

    public static TheoryData<string, Service> ValidProbes => new()
    {
        { "no probe", Valid },
        { "readiness without a handler gets the default TCP probe", Valid.WithReadinessProbe(new() { SuccessThreshold = 2 }) },
        { "http probe on the default port", Valid.WithReadinessProbe(new() { HttpGet = new() { Path = "/healthz", Port = Port(8080) } }) },
        { "http probe with no port", Valid.WithReadinessProbe(new() { HttpGet = new() { Path = "/healthz" } }) },
        { "tcp probe on port 0", Valid.WithReadinessProbe(new() { TcpSocket = new() { Port = Port(0) } }) },
        { "named default port", Valid.WithReadinessProbe(new() { TcpSocket = new() { Port = Port("http") } }) },
        {
            "named declared port",
            Valid.WithContainer(c => c with { Ports = [new() { Name = "h2c", ContainerPort = 9000 }], ReadinessProbe = new() { TcpSocket = new() { Port = Port("h2c") } } })
        },
        { "declared port number", Valid.WithContainer(c => c with { Ports = [new() { ContainerPort = 9000 }], ReadinessProbe = new() { HttpGet = new() { Port = Port(9000) } } }) },
        { "period with thresholds", Valid.WithReadinessProbe(new() { HttpGet = new(), PeriodSeconds = 5, FailureThreshold = 3, TimeoutSeconds = 2 }) },
        { "period without thresholds", Valid.WithReadinessProbe(new() { HttpGet = new(), PeriodSeconds = 5 }) },
        { "successThreshold 0 is defaulted", Valid.WithReadinessProbe(new() { TcpSocket = new(), SuccessThreshold = 0 }) },
    };

    [Theory]
    [MemberData(nameof(ValidProbes))]
    public void Valid_probes_have_no_error(string rule, Service service) =>
        Assert.True(ServiceValidation.Validate(service, localProcessRuntime: false).IsEmpty, rule + ": " + ServiceValidation.Validate(service, localProcessRuntime: false));

    [Fact]
    public void The_kubernetes_runtime_accepts_exec_and_grpc_probes()
    {
        var service = Valid.WithContainer(c => c with
        {
            ReadinessProbe = new() { Exec = new() { Command = ["cat", "/tmp/ready"] } },
            LivenessProbe = new() { Grpc = new() { Port = 8080 } },
        });

        Assert.False(ServiceValidation.Validate(service.WithContainer(c => c with { Command = ["app"], LivenessProbe = new() { Exec = new() } })).IsEmpty);
        Assert.True(ServiceValidation.Validate(service, localProcessRuntime: false).IsEmpty);
    }

    [Fact]
    public void Local_runtime_check_stands_alone()
    {
        var spec = new RevisionSpec { Containers = [new() { Image = "a", LivenessProbe = new() { Exec = new() } }] };

        Assert.Equal(
            "exec probes are not supported by the local process runtime: containers[0].livenessProbe.exec\nuse an httpGet or tcpSocket probe, or run on the Kubernetes runtime",
            LocalRuntimeValidation.ValidateProbeHandlers(spec).ToString());
    }
}
