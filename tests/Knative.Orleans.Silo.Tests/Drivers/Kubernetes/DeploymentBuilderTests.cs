using k8s.Models;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Silo.Drivers.Kubernetes;
using static Knative.Orleans.Silo.Tests.Drivers.Kubernetes.KubernetesDriverHarness;
using ContractIntOrString = Knative.Orleans.Contracts.Serving.IntOrString;

namespace Knative.Orleans.Silo.Tests.Drivers.Kubernetes;

/// <summary>The pure builders: Deployment from a spec, pod facts from a pod, option checks.</summary>
public sealed class DeploymentBuilderTests
{
    public static TheoryData<string, Probe?, string> Probes => new()
    {
        { "none: TCP on the port, every second", null, "tcp:8080 period=1" },
        { "tcp port 0: the container port", new Probe { TcpSocket = new TcpSocketAction { Port = new ContractIntOrString { IntValue = 0 } } }, "tcp:8080 period=1" },
        { "http without port", new Probe { HttpGet = new HttpGetAction { Path = "/ready" }, PeriodSeconds = 5 }, "http:8080/ready period=5" },
        { "http with a named port", new Probe { HttpGet = new HttpGetAction { Path = "/", Port = new ContractIntOrString { StringValue = "user-port" } } }, "http:user-port/ period=1" },
        { "exec is kept on Kubernetes", new Probe { Exec = new ExecAction { Command = ["cat", "/tmp/ok"] } }, "exec:cat /tmp/ok period=1" },
        { "grpc without port", new Probe { Grpc = new GrpcAction { Service = "health" } }, "grpc:8080 period=1" },
    };

    [Theory]
    [MemberData(nameof(Probes))]
    public void Readiness_probes_target_the_serving_port_and_probe_at_least_every_second(string why, Probe? probe, string expected)
    {
        var container = DeploymentBuilder.Make(Spec("i") with { ReadinessProbe = probe }, "ns", 1, 8080).Spec.Template.Spec.Containers[0];
        Assert.True(expected == Describe(container.ReadinessProbe), $"{why}: {Describe(container.ReadinessProbe)}");
    }

    [Fact]
    public void The_users_port_command_args_and_port_override_are_kept()
    {
        var spec = Spec("i") with
        {
            ContainerPort = 9000,
            PortName = "h2c",
            Command = ["/app"],
            Args = ["--verbose"],
            Env = new Dictionary<string, string> { ["PORT"] = "1", ["K_SERVICE"] = "s", ["K_CONFIGURATION"] = "c", ["K_REVISION"] = "r" },
            TimeoutSeconds = null,
        };

        var deployment = DeploymentBuilder.Make(spec, "ns", 3, 8080, serviceAccount: "runner");
        var pod = deployment.Spec.Template.Spec;
        var container = pod.Containers[0];
        Assert.Equal(["/app"], container.Command);
        Assert.Equal(["--verbose"], container.Args);
        Assert.Equal(("h2c", 9000), (container.Ports[0].Name, container.Ports[0].ContainerPort));
        Assert.Equal("9000", Assert.Single(container.Env, e => e.Name == "PORT").Value); // the platform's PORT wins
        Assert.Equal(300, pod.TerminationGracePeriodSeconds); // Knative's default timeoutSeconds
        Assert.Equal("runner", pod.ServiceAccountName);
        Assert.Equal(3, deployment.Spec.Replicas);
        Assert.Equal("default-hello-00001-deployment", deployment.Metadata.Name);
        Assert.Equal(new Dictionary<string, string> { ["knative-orleans.dev/namespace"] = "default", ["serving.knative.dev/revision"] = "hello-00001" },
            deployment.Spec.Selector.MatchLabels);
    }

    [Fact]
    public void The_template_hash_changes_with_the_template_only()
    {
        var a = DeploymentBuilder.HashOf(DeploymentBuilder.Make(Spec("i"), "ns", 1, 8080));
        Assert.Equal(a, DeploymentBuilder.HashOf(DeploymentBuilder.Make(Spec("other-instance"), "ns", 5, 8080)));
        Assert.NotEqual(a, DeploymentBuilder.HashOf(DeploymentBuilder.Make(Spec("i") with { Image = "other" }, "ns", 1, 8080)));
    }

    public static TheoryData<string, V1Pod, string> Pods => new()
    {
        { "pending", Pod(), "ip= ready=False term=False restarts=0 exit= stuck=False" },
        { "running and ready", Pod(ip: "10.0.0.1", ready: true), "ip=10.0.0.1 ready=True term=False restarts=0 exit= stuck=False" },
        { "ready but being deleted", Pod(ip: "10.0.0.1", ready: true, deleting: true), "ip=10.0.0.1 ready=False term=True restarts=0 exit= stuck=False" },
        { "crashed once", Pod(ip: "10.0.0.1", restarts: 1, lastExit: 2), "ip=10.0.0.1 ready=False term=False restarts=1 exit=2 stuck=False" },
        { "image pull back-off", Pod(waiting: "ImagePullBackOff"), "ip= ready=False term=False restarts=0 exit= stuck=True" },
        { "crash loop back-off is not stuck", Pod(waiting: "CrashLoopBackOff", restarts: 3, lastExit: 1), "ip= ready=False term=False restarts=3 exit=1 stuck=False" },
        { "failed phase", Pod(phase: "Failed"), "ip= ready=False term=True restarts=0 exit= stuck=False" },
    };

    [Theory]
    [MemberData(nameof(Pods))]
    public void Pod_facts_are_read_from_status(string why, V1Pod pod, string expected)
    {
        var o = PodObservation.From(pod)!;
        var actual = $"ip={o.Ip} ready={o.Ready} term={o.Terminating} restarts={o.RestartCount} exit={o.ExitCode} stuck={o.Stuck}";
        Assert.True(expected == actual, $"{why}: {actual}");
        Assert.Equal("default/hello-00001", o.RevisionKey);
    }

    [Fact]
    public void Pods_without_the_platforms_labels_are_ignored() =>
        Assert.Null(PodObservation.From(new V1Pod { Metadata = new V1ObjectMeta { Name = "x", Labels = new Dictionary<string, string> { ["app"] = "x" } } }));

    [Fact]
    public void Invalid_options_are_listed_with_key_value_and_range()
    {
        var result = new KubernetesDriverOptionsValidator().Validate(null, new KubernetesDriverOptions
        {
            Connection = "magic",
            Host = "ftp://x",
            Namespace = "Not_Valid",
            MaxAttempts = 0,
            RetryBaseDelay = TimeSpan.FromSeconds(20),
            DefaultContainerPort = 70000,
        });
        Assert.Equal(
        [
            "Kubernetes:Connection = magic, must be one of auto, in-cluster, kubeconfig",
            "Kubernetes:Host = ftp://x, must be an absolute http(s) URL",
            "Kubernetes:Namespace = Not_Valid, must be a DNS-1123 label",
            "Kubernetes:DefaultContainerPort = 70000, must be in [1; 65535]",
            "Kubernetes:MaxAttempts = 0, must be in [1; 100]",
            "Kubernetes:RetryBaseDelay = 00:00:20, must be in [00:00:00.0010000; 00:00:10]",
            "Kubernetes:RetryMaxDelay = 00:00:05, must be in [00:00:20; 00:05:00]", // never below the base delay
        ], result.Failures!);
        Assert.True(new KubernetesDriverOptionsValidator().Validate(null, new KubernetesDriverOptions()).Succeeded);
    }

    private static string Describe(V1Probe p) =>
        (p.TcpSocket is { } t ? $"tcp:{t.Port.Value}" : p.HttpGet is { } h ? $"http:{h.Port.Value}{h.Path}"
            : p.Exec is { } e ? "exec:" + string.Join(' ', e.Command) : p.Grpc is { } g ? $"grpc:{g.Port}" : "?") + $" period={p.PeriodSeconds}";

    private static V1Pod Pod(string? ip = null, bool ready = false, bool deleting = false, int restarts = 0, int? lastExit = null,
        string? waiting = null, string phase = "Running") => new()
        {
            Metadata = new V1ObjectMeta
            {
                Name = "p",
                Labels = KubernetesNames.Labels("default/hello-00001", new Dictionary<string, string>(), null),
                DeletionTimestamp = deleting ? DateTime.UtcNow : null,
            },
            Status = new V1PodStatus
            {
                Phase = phase,
                PodIP = ip,
                Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
                ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = "user-container", Image = "i", ImageID = "", Ready = ready, RestartCount = restarts,
                    State = waiting is null ? new V1ContainerState() : new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = waiting } },
                    LastState = lastExit is null ? null : new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = lastExit.Value } },
                },
            ],
            },
        };
}
