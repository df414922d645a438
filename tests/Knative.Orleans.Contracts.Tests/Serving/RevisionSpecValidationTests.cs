using Knative.Orleans.Contracts.Serving;
using static Knative.Orleans.Contracts.Tests.Serving.TestServices;

namespace Knative.Orleans.Contracts.Tests.Serving;

public sealed class RevisionSpecValidationTests
{
    private const string C0 = "spec.template.spec.containers[0]";

    public static TheoryData<string, Service, string> Cases => new()
    {
        { "no containers", Valid.WithContainers(), "missing field(s): spec.template.spec.containers" },
        { "no spec at all", Valid with { Spec = null }, "missing field(s): spec.template.spec.containers" },
        { "no image", Valid.WithContainers(new Container { Name = "app" }), $"missing field(s): {C0}.image" },
        { "empty container", Valid.WithContainers(new Container()), $"missing field(s): {C0}.image" },
        { "queue-proxy", Valid.WithContainer(c => c with { Name = "queue-proxy" }), $"\"queue-proxy\" is a reserved container name: {C0}.name" },
        { "PORT", Env("PORT"), $"\"PORT\" is a reserved environment variable: {C0}.env[0].name" },
        { "K_SERVICE", Env("K_SERVICE"), $"\"K_SERVICE\" is a reserved environment variable: {C0}.env[0].name" },
        { "K_CONFIGURATION", Env("K_CONFIGURATION"), $"\"K_CONFIGURATION\" is a reserved environment variable: {C0}.env[0].name" },
        { "K_REVISION", Env("K_REVISION"), $"\"K_REVISION\" is a reserved environment variable: {C0}.env[0].name" },
        { "env without name", Valid.WithContainer(c => c with { Env = [new() { Name = "A" }, new() { Value = "b" }] }), $"missing field(s): {C0}.env[1].name" },
        { "port 8012", Port(8012), $"invalid value: 8012 is a reserved port: {C0}.ports.containerPort\n8012 is a reserved port, please use a different value" },
        { "port 8013", Port(8013), $"invalid value: 8013 is a reserved port: {C0}.ports.containerPort\n8013 is a reserved port, please use a different value" },
        { "port 8022", Port(8022), $"invalid value: 8022 is a reserved port: {C0}.ports.containerPort\n8022 is a reserved port, please use a different value" },
        { "port 9090", Port(9090), $"invalid value: 9090 is a reserved port: {C0}.ports.containerPort\n9090 is a reserved port, please use a different value" },
        { "port 9091", Port(9091), $"invalid value: 9091 is a reserved port: {C0}.ports.containerPort\n9091 is a reserved port, please use a different value" },
        { "port 8008", Port(8008), $"invalid value: 8008 is a reserved port: {C0}.ports.containerPort\n8008 is a reserved port, please use a different value" },
        { "port out of range", Port(70000), $"expected 0 <= 70000 <= 65535: {C0}.ports.containerPort" },
        { "UDP", Port(8080, protocol: "UDP"), $"invalid value: UDP: {C0}.ports.protocol" },
        { "port name", Port(8080, name: "grpc"), $"Port name grpc is not allowed: {C0}.ports\nName must be empty, or one of: 'h2c', 'http1'" },
        {
            "two ports", Valid.WithContainer(c => c with { Ports = [new() { ContainerPort = 8080 }, new() { ContainerPort = 8081 }] }),
            "more than one container port is set: spec.template.spec.containers[*].ports\nOnly a single port is allowed across all containers"
        },
        {
            "ports on two containers",
            Valid.WithContainers(new() { Image = "a", Ports = [new() { ContainerPort = 8080 }] }, new() { Image = "b", Ports = [new() { ContainerPort = 9000 }] }),
            "more than one container port is set: spec.template.spec.containers[*].ports\nOnly a single port is allowed across all containers"
        },
        {
            "several containers without a port", Valid.WithContainers(new() { Image = "a" }, new() { Image = "b" }),
            "missing field(s): spec.template.spec.containers[*].ports"
        },
        {
            "duplicate container names",
            Valid.WithContainers(new() { Name = "a", Image = "a", Ports = [new()] }, new() { Name = "a", Image = "b" }),
            "duplicate container name \"a\": spec.template.spec.containers[1].name"
        },
        {
            "sidecar sets K_SERVICE",
            Valid.WithContainers(new() { Image = "a", Ports = [new()] }, new() { Image = "b", Env = [new() { Name = "PORT" }, new() { Name = "K_SERVICE" }] }),
            "\"K_SERVICE\" is a reserved environment variable: spec.template.spec.containers[1].env[1].name"
        },
        {
            "sidecar probe",
            Valid.WithContainers(new() { Image = "a", Ports = [new()] }, new() { Image = "b", ReadinessProbe = new() { HttpGet = new(), PeriodSeconds = 5 } }),
            "must not set the field(s): spec.template.spec.containers[1].readinessProbe.httpGet, spec.template.spec.containers[1].readinessProbe.periodSeconds"
        },
        { "containerConcurrency 1001", Valid.WithSpec(s => s with { ContainerConcurrency = 1001 }), "expected 0 <= 1001 <= 1000: spec.template.spec.containerConcurrency" },
        { "containerConcurrency -1", Valid.WithSpec(s => s with { ContainerConcurrency = -1 }), "expected 0 <= -1 <= 1000: spec.template.spec.containerConcurrency" },
        { "timeoutSeconds 601", Valid.WithSpec(s => s with { TimeoutSeconds = 601 }), "expected 0 <= 601 <= 600: spec.template.spec.timeoutSeconds" },
        { "timeoutSeconds -1", Valid.WithSpec(s => s with { TimeoutSeconds = -1 }), "expected 0 <= -1 <= 600: spec.template.spec.timeoutSeconds" },
        {
            "response start after the default timeout", Valid.WithSpec(s => s with { ResponseStartTimeoutSeconds = 301 }),
            "expected 0 <= 301 <= 300: spec.template.spec.responseStartTimeoutSeconds"
        },
        {
            "idle timeout after the timeout", Valid.WithSpec(s => s with { TimeoutSeconds = 60, IdleTimeoutSeconds = 61 }),
            "expected 0 <= 61 <= 60: spec.template.spec.idleTimeoutSeconds"
        },
        {
            "negative idle timeout", Valid.WithSpec(s => s with { IdleTimeoutSeconds = -5 }),
            "expected 0 <= -5 <= 300: spec.template.spec.idleTimeoutSeconds"
        },
        {
            "invalid service account", Valid.WithSpec(s => s with { ServiceAccountName = "foo@bar.baz" }),
            "invalid value: foo@bar.baz: spec.template.spec.serviceAccountName\na lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Revision_spec_rules(string rule, Service service, string expected) =>
        Assert.True(expected == ServiceValidation.Validate(service, localProcessRuntime: false).ToString(), rule + ": " + ServiceValidation.Validate(service, localProcessRuntime: false));

    public static TheoryData<string, Service> ValidSpecs => new()
    {
        { "port 8080", Port(8080) },
        { "port 0 (default)", Port(0) },
        { "h2c", Port(8080, name: "h2c") },
        { "http1 TCP", Port(8080, name: "http1", protocol: "TCP") },
        { "sidecar sets PORT", Valid.WithContainers(new() { Image = "a", Ports = [new()] }, new() { Image = "b", Env = [new() { Name = "PORT" }] }) },
        { "two unnamed containers", Valid.WithContainers(new() { Image = "a", Ports = [new()] }, new() { Image = "b" }) },
        { "limits", Valid.WithSpec(s => s with { ContainerConcurrency = 1000, TimeoutSeconds = 600, ResponseStartTimeoutSeconds = 600, IdleTimeoutSeconds = 600 }) },
        { "zeros mean default", Valid.WithSpec(s => s with { ContainerConcurrency = 0, TimeoutSeconds = 0, ResponseStartTimeoutSeconds = 0, IdleTimeoutSeconds = 0 }) },
        { "service account", Valid.WithSpec(s => s with { ServiceAccountName = "builder.team-a" }) },
        { "env with empty value", Valid.WithContainer(c => c with { Env = [new() { Name = "EMPTY", Value = "" }] }) },
    };

    [Theory]
    [MemberData(nameof(ValidSpecs))]
    public void Valid_specs_have_no_error(string rule, Service service) =>
        Assert.True(ServiceValidation.Validate(service, localProcessRuntime: false).IsEmpty, rule + ": " + ServiceValidation.Validate(service, localProcessRuntime: false));

    private static Service Env(string name) => Valid.WithContainer(c => c with { Env = [new() { Name = name, Value = "x" }] });

    private static Service Port(int port, string? name = null, string? protocol = null) =>
        Valid.WithContainer(c => c with { Ports = [new() { ContainerPort = port, Name = name, Protocol = protocol }] });
}
