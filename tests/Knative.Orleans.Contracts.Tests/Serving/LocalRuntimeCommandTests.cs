using Knative.Orleans.Contracts.Serving;
using static Knative.Orleans.Contracts.Tests.Serving.TestServices;

namespace Knative.Orleans.Contracts.Tests.Serving;

public sealed class LocalRuntimeCommandTests
{
    [Fact]
    public void The_local_runtime_needs_a_command_on_the_serving_container()
    {
        var errors = ServiceValidation.Validate(Valid.WithContainer(c => c with { Command = null }));

        Assert.Equal("missing field(s): spec.template.spec.containers[0].command\n" + LocalRuntimeValidation.CommandAdvice, errors.ToString());
        Assert.True(ServiceValidation.Validate(Valid.WithContainer(c => c with { Command = null }), localProcessRuntime: false).IsEmpty);
    }

    [Fact]
    public void The_serving_container_is_the_one_with_the_port()
    {
        var service = Valid.WithContainers(
            new Container { Image = "sidecar", Command = ["sidecar"] },
            new Container { Image = "app", Ports = [new() { ContainerPort = 8080 }] });

        Assert.Equal("missing field(s): spec.template.spec.containers[1].command\n" + LocalRuntimeValidation.CommandAdvice,
            ServiceValidation.Validate(service).ToString());
        Assert.True(ServiceValidation.Validate(Valid.WithContainer(c => c with { Command = ["/usr/bin/python3"] })).IsEmpty);
    }
}
