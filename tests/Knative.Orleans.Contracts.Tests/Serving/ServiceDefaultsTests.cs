using Knative.Orleans.Contracts.Manifests;
using Knative.Orleans.Contracts.Serving;
using static Knative.Orleans.Contracts.Tests.Serving.TestServices;

namespace Knative.Orleans.Contracts.Tests.Serving;

public sealed class ServiceDefaultsTests
{
    [Fact]
    public void Hello_world_gets_knatives_defaults()
    {
        var service = ServiceDefaults.WithDefaults(Valid);

        var spec = service.Spec!.Template!.Spec!;
        Assert.Equal(300, spec.TimeoutSeconds);
        Assert.Equal(0, spec.ContainerConcurrency);
        Assert.False(spec.EnableServiceLinks);
        Assert.Null(spec.ResponseStartTimeoutSeconds);
        Assert.Null(spec.IdleTimeoutSeconds);
        var container = Assert.Single(spec.Containers!);
        Assert.Equal("user-container", container.Name);
        Assert.Equal(
            """{"tcpSocket":{"port":0},"successThreshold":1}""",
            ManifestSerializer.Serialize(container.ReadinessProbe, ManifestFormat.Json));
        var traffic = Assert.Single(service.Spec.Traffic!);
        Assert.Equal((true, 100L, null), (traffic.LatestRevision, traffic.Percent, traffic.RevisionName));
    }

    [Fact]
    public void The_input_is_never_changed()
    {
        var input = Valid.WithTraffic(new TrafficTarget { RevisionName = "svc-00001", Percent = 100 });
        var before = ManifestSerializer.Serialize(input, ManifestFormat.Json);

        var output = ServiceDefaults.WithDefaults(input);

        Assert.Equal(before, ManifestSerializer.Serialize(input, ManifestFormat.Json));
        Assert.NotEqual(before, ManifestSerializer.Serialize(output, ManifestFormat.Json));
        Assert.Null(input.Spec!.Traffic![0].LatestRevision);
        Assert.Null(input.Spec.Template!.Spec!.Containers![0].Name);
    }

    [Fact]
    public void Several_containers_are_numbered_and_only_the_serving_one_gets_a_probe()
    {
        var service = Valid.WithContainers(
            new Container { Image = "sidecar" },
            new Container { Image = "app", Ports = [new() { ContainerPort = 8080 }] },
            new Container { Name = "named", Image = "other" });

        var containers = ServiceDefaults.WithDefaults(service).Spec!.Template!.Spec!.Containers!;

        Assert.Equal(["user-container-0", "user-container-1", "named"], containers.Select(c => c.Name));
        Assert.Equal([false, true, false], containers.Select(c => c.ReadinessProbe is not null));
    }

    [Fact]
    public void A_given_probe_keeps_its_handler_and_gets_thresholds()
    {
        var probe = ServiceDefaults.WithDefaults(new Probe { HttpGet = new() { Path = "/healthz" }, PeriodSeconds = 5 });

        Assert.Equal(
            """{"httpGet":{"path":"/healthz"},"periodSeconds":5,"timeoutSeconds":1,"successThreshold":1,"failureThreshold":3}""",
            ManifestSerializer.Serialize(probe, ManifestFormat.Json));
    }

    [Fact]
    public void A_probe_without_a_handler_gets_the_tcp_handler_and_keeps_its_settings()
    {
        var probe = ServiceDefaults.WithDefaults(new Probe { InitialDelaySeconds = 2, SuccessThreshold = 3 });

        Assert.Equal(
            """{"tcpSocket":{"port":0},"initialDelaySeconds":2,"successThreshold":3}""",
            ManifestSerializer.Serialize(probe, ManifestFormat.Json));
    }

    [Theory]
    [InlineData(null, 300)]
    [InlineData(0L, 300)]
    [InlineData(30L, 30)]
    [InlineData(900L, 900)]
    public void Timeout_defaults_when_unset_or_zero(long? given, long expected) =>
        Assert.Equal(expected, ServiceDefaults.WithDefaults(new RevisionSpec { TimeoutSeconds = given }).TimeoutSeconds);

    [Fact]
    public void Given_values_are_kept()
    {
        var spec = ServiceDefaults.WithDefaults(new RevisionSpec { ContainerConcurrency = 10, EnableServiceLinks = true, IdleTimeoutSeconds = 20 });

        Assert.Equal((10L, true, 20L), (spec.ContainerConcurrency, spec.EnableServiceLinks, spec.IdleTimeoutSeconds));
    }

    [Fact]
    public void Latest_revision_follows_the_revision_name_unless_given()
    {
        var service = Valid.WithTraffic(
            new TrafficTarget { RevisionName = "svc-00001", Percent = 50 },
            new TrafficTarget { Percent = 50 },
            new TrafficTarget { Tag = "pinned", RevisionName = "svc-00002", LatestRevision = true });

        var traffic = ServiceDefaults.WithDefaults(service).Spec!.Traffic!;

        Assert.Equal([false, true, true], traffic.Select(t => t.LatestRevision!.Value));
        Assert.Equal([50L, 50L, null], traffic.Select(t => t.Percent));
    }

    [Fact]
    public void A_service_without_a_spec_gets_an_empty_template_and_default_traffic()
    {
        var service = ServiceDefaults.WithDefaults(new Service());

        Assert.Empty(service.Spec!.Template!.Spec!.Containers ?? []);
        Assert.Equal(300, service.Spec.Template.Spec.TimeoutSeconds);
        Assert.True(Assert.Single(service.Spec.Traffic!).LatestRevision);
    }

    [Fact]
    public void Defaulting_is_idempotent_and_keeps_a_valid_service_valid()
    {
        var service = Valid.WithReadinessProbe(new Probe { HttpGet = new(), PeriodSeconds = 10 })
            .WithTraffic(new TrafficTarget { Tag = "a", RevisionName = "svc-00001", Percent = 10 }, new TrafficTarget { Percent = 90 });

        var once = ServiceDefaults.WithDefaults(service);
        var twice = ServiceDefaults.WithDefaults(once);

        Assert.Equal(ManifestSerializer.Serialize(once, ManifestFormat.Json), ManifestSerializer.Serialize(twice, ManifestFormat.Json));
        Assert.True(ServiceValidation.Validate(service, localProcessRuntime: false).IsEmpty);
        Assert.True(ServiceValidation.Validate(once, localProcessRuntime: false).IsEmpty);
    }
}
