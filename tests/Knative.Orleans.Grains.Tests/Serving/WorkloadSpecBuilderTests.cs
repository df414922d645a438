using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Serving;

namespace Knative.Orleans.Grains.Tests.Serving;

/// <summary>WorkloadSpecBuilder: Knative's runtime contract for the serving container (KNATIVE-NOTES 1.1).</summary>
public sealed class WorkloadSpecBuilderTests
{
    private static Revision MakeRevision(Dictionary<string, string>? labels, params Container[] containers) => new()
    {
        Metadata = new ObjectMeta { Name = "hello-00002", Namespace = "team-a", Labels = labels },
        Spec = new RevisionSpec { Containers = [.. containers] },
    };

    private static readonly Dictionary<string, string> Labels = new()
    {
        [ServingLabels.Service] = "hello",
        [ServingLabels.Configuration] = "hello-config",
        [ServingLabels.ConfigurationGeneration] = "2",
    };

    public static TheoryData<string, List<string>?, List<string>?, string[]> CommandLines => new()
    {
        { "command and args are concatenated", ["python3", "-m", "http.server"], ["--bind", "127.0.0.1"], ["python3", "-m", "http.server", "--bind", "127.0.0.1"] },
        { "command only", ["./server"], null, ["./server"] },
        { "empty args", ["./server"], [], ["./server"] },
        { "args only", null, ["node", "index.js"], ["node", "index.js"] },
        { "arguments keep spaces and order", ["sh", "-c"], ["echo \"a b\" && exit 0"], ["sh", "-c", "echo \"a b\" && exit 0"] },
    };

    [Theory]
    [MemberData(nameof(CommandLines))]
    public void Command_line_is_command_then_args(string scenario, List<string>? command, List<string>? args, string[] expected)
    {
        var spec = WorkloadSpecBuilder.Make("team-a/hello-00002", MakeRevision(Labels, new Container { Image = "i", Command = command, Args = args }), "i1");

        Assert.True(expected.SequenceEqual(spec.CommandLine), $"{scenario}: [{string.Join(", ", spec.CommandLine)}]");
    }

    [Fact]
    public void Env_is_the_user_env_plus_K_SERVICE_K_CONFIGURATION_K_REVISION()
    {
        var container = new Container
        {
            Image = "i",
            Command = ["./server"],
            Env =
            [
                new EnvVar { Name = "GREETING", Value = "hello world" },
                new EnvVar { Name = "EMPTY", Value = "" },
                new EnvVar { Name = "UNSET" },
                new EnvVar { Name = "", Value = "dropped" },
                new EnvVar { Name = "DUP", Value = "first" },
                new EnvVar { Name = "DUP", Value = "second" },
            ],
        };

        var spec = WorkloadSpecBuilder.Make("team-a/hello-00002", MakeRevision(Labels, container), "hello-00002-1");

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["GREETING"] = "hello world",
                ["EMPTY"] = "",
                ["UNSET"] = "",
                ["DUP"] = "second",
                ["K_SERVICE"] = "hello",
                ["K_CONFIGURATION"] = "hello-config",
                ["K_REVISION"] = "hello-00002",
            },
            spec.Env);
        Assert.DoesNotContain("PORT", spec.Env.Keys); // the driver adds PORT
        Assert.Equal(("team-a/hello-00002", "hello-00002-1"), (spec.RevisionKey, spec.InstanceId));
    }

    [Fact]
    public void K_variables_are_empty_without_labels_and_override_user_values()
    {
        var container = new Container
        {
            Image = "i",
            Command = ["./server"],
            Env = [new EnvVar { Name = "K_SERVICE", Value = "spoofed" }, new EnvVar { Name = "K_REVISION", Value = "spoofed" }],
        };

        var spec = WorkloadSpecBuilder.Make("team-a/hello-00002", MakeRevision(null, container), "i1");

        Assert.Equal(
            new Dictionary<string, string> { ["K_SERVICE"] = "", ["K_CONFIGURATION"] = "", ["K_REVISION"] = "hello-00002" },
            spec.Env);
    }

    [Fact]
    public void The_serving_container_is_the_one_with_ports()
    {
        var probe = new Probe { TcpSocket = new TcpSocketAction() };
        var sidecar = new Container
        {
            Name = "user-container-0",
            Image = "sidecar",
            Command = ["./sidecar"],
            Env = [new EnvVar { Name = "SIDE", Value = "1" }],
            WorkingDir = "/side",
        };
        var serving = new Container
        {
            Name = "user-container-1",
            Image = "app",
            Command = ["./app"],
            Args = ["--serve"],
            WorkingDir = "/srv",
            Env = [new EnvVar { Name = "APP", Value = "1" }],
            Ports = [new ContainerPortSpec { Name = "h2c", ContainerPort = 8080 }],
            ReadinessProbe = probe,
        };

        var spec = WorkloadSpecBuilder.Make("team-a/hello-00002", MakeRevision(Labels, sidecar, serving), "i1");

        Assert.Equal(["./app", "--serve"], spec.CommandLine);
        Assert.Equal("/srv", spec.WorkingDir);
        Assert.Equal("1", spec.Env["APP"]);
        Assert.DoesNotContain("SIDE", spec.Env.Keys);
        Assert.Same(probe, spec.ReadinessProbe);
        Assert.Equal("h2c", spec.PortName);
    }

    public static TheoryData<List<ContainerPortSpec>?, string?> PortNames => new()
    {
        { null, null },
        { [], null },
        { [new ContainerPortSpec { ContainerPort = 8080 }], null },
        { [new ContainerPortSpec { Name = "http1", ContainerPort = 8080 }], "http1" },
        { [new ContainerPortSpec { Name = "h2c", ContainerPort = 9000 }], "h2c" },
    };

    [Theory]
    [MemberData(nameof(PortNames))]
    public void A_single_container_serves_with_or_without_ports(List<ContainerPortSpec>? ports, string? portName)
    {
        var spec = WorkloadSpecBuilder.Make(
            "team-a/hello-00002", MakeRevision(Labels, new Container { Image = "i", Command = ["./only"], Ports = ports }), "i1");

        Assert.Equal(["./only"], spec.CommandLine);
        Assert.Equal(portName, spec.PortName);
        Assert.Null(spec.WorkingDir);
        Assert.Null(spec.ReadinessProbe);
    }
}
