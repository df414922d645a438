using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Serving;

namespace Knative.Orleans.Grains.Tests.Serving;

/// <summary>ServiceResources: the Revision, Configuration and Route a Service owns (KNATIVE-NOTES 1.1, 1.2).</summary>
public sealed class ServiceResourcesTests
{
    private const string Uid = "6f1c1d6e-0000-4000-8000-000000000001";

    private static readonly RevisionSpec Spec = new()
    {
        Containers = [new Container { Name = "user-container", Image = "ghcr.io/example/hello", Command = ["python3", "app.py"] }],
        ContainerConcurrency = 0,
        TimeoutSeconds = 300,
    };

    private static Service MakeService(string name = "hello", ObjectMeta? template = null) => new()
    {
        ApiVersion = "serving.knative.dev/v1",
        Kind = "Service",
        Metadata = new ObjectMeta
        {
            Name = name,
            Namespace = "team-a",
            Uid = Uid,
            Generation = 4,
            ResourceVersion = "7",
            CreationTimestamp = "2026-01-02T03:04:05Z",
            Labels = new() { ["app"] = "hello" },
            Annotations = new() { ["serving.knative.dev/creator"] = "alice", ["note"] = "svc" },
        },
        Spec = new ServiceSpec
        {
            Template = new RevisionTemplateSpec { Metadata = template, Spec = Spec },
            Traffic = [new TrafficTarget { LatestRevision = true, Percent = 100 }],
        },
    };

    public static TheoryData<string, long, string?, string> RevisionNames => new()
    {
        { "hello", 1, null, "hello-00001" },
        { "hello", 42, null, "hello-00042" },
        { "hello", 99_999, null, "hello-99999" },
        { "hello", 100_000, null, "hello-100000" }, // wider after 99999
        { "hello", 3, "hello-blue", "hello-blue" }, // BYO name
        { "hello", 3, "", "hello-00003" }, // an empty name is no name
        {
            // 58 characters: the first 25, md5 of the whole name, -00001 (63 characters)
            "a-very-long-service-name-that-does-not-fit-the-limit-xyzzy", 1, null,
            "a-very-long-service-name-" + Md5("a-very-long-service-name-that-does-not-fit-the-limit-xyzzy") + "-00001"
        },
        { new string('s', 57), 1, null, new string('s', 57) + "-00001" }, // 57 characters still fit
    };

    private static string Md5(string text) =>
#pragma warning disable CA5351 // Knative names use md5; this only recomputes one.
        Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351

    [Theory]
    [MemberData(nameof(RevisionNames))]
    public void MakeRevision_names_the_revision(string service, long generation, string? byoName, string expected)
    {
        var revision = ServiceResources.MakeRevision(MakeService(service, byoName is null ? null : new ObjectMeta { Name = byoName }), generation, "bob");

        Assert.Equal(expected, revision.Metadata!.Name);
        Assert.True(revision.Metadata.Name!.Length <= 63);
    }

    [Fact]
    public void MakeRevision_labels_annotations_and_owner()
    {
        var template = new ObjectMeta
        {
            Labels = new() { ["tier"] = "web", [ServingLabels.Service] = "spoofed" },
            Annotations = new() { ["autoscaling.knative.dev/min-scale"] = "1", [ServingLabels.Creator] = "mallory" },
        };

        var revision = ServiceResources.MakeRevision(MakeService(template: template), 3, "bob");

        Assert.Equal(("serving.knative.dev/v1", "Revision"), (revision.ApiVersion, revision.Kind));
        var meta = revision.Metadata!;
        Assert.Equal(("hello-00003", "team-a", 1L), (meta.Name, meta.Namespace, meta.Generation));
        Assert.True(Guid.TryParse(meta.Uid, out var uid) && uid != Guid.Parse(Uid), $"uid {meta.Uid}");
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["tier"] = "web",
                ["serving.knative.dev/service"] = "hello",
                ["serving.knative.dev/serviceUID"] = Uid,
                ["serving.knative.dev/configuration"] = "hello",
                ["serving.knative.dev/configurationUID"] = Uid,
                ["serving.knative.dev/configurationGeneration"] = "3",
            },
            meta.Labels);
        Assert.Equal(
            new Dictionary<string, string> { ["autoscaling.knative.dev/min-scale"] = "1", ["serving.knative.dev/creator"] = "bob" },
            meta.Annotations);
        var owner = Assert.Single(meta.OwnerReferences!);
        Assert.Equal(
            new OwnerReference { ApiVersion = "serving.knative.dev/v1", Kind = "Configuration", Name = "hello", Uid = Uid, Controller = true },
            owner);
        Assert.Same(Spec, revision.Spec);
        Assert.Null(revision.Status);
    }

    [Fact]
    public void MakeRevision_does_not_copy_the_service_metadata_or_change_the_template()
    {
        var service = MakeService(template: new ObjectMeta { Labels = new() { ["tier"] = "web" } });

        var revision = ServiceResources.MakeRevision(service, 1, "bob");

        Assert.DoesNotContain("app", revision.Metadata!.Labels!.Keys);
        Assert.DoesNotContain("note", revision.Metadata.Annotations!.Keys);
        Assert.Equal(new Dictionary<string, string> { ["tier"] = "web" }, service.Spec!.Template!.Metadata!.Labels);
        Assert.NotEqual(revision.Metadata.Uid, ServiceResources.MakeRevision(service, 1, "bob").Metadata!.Uid);
    }

    private static ServiceState State(List<Condition>? serviceConditions = null) => new()
    {
        Service = MakeService(),
        ConfigurationGeneration = 2,
        Status = new ServiceStatus
        {
            ObservedGeneration = 4,
            Conditions = serviceConditions,
            Url = "http://hello.team-a.example.com",
            Address = new Addressable { Url = "http://hello.team-a.svc.cluster.local" },
            Traffic = [new TrafficTarget { RevisionName = "hello-00002", LatestRevision = true, Percent = 100 }],
            LatestCreatedRevisionName = "hello-00002",
            LatestReadyRevisionName = "hello-00001",
        },
        RouteConditions = [new Condition { Type = "Ready", Status = "True", LastTransitionTime = "2026-01-02T03:04:05Z" }],
    };

    private static void AssertChildMeta(ObjectMeta meta, long generation)
    {
        Assert.Equal(("hello", "team-a", Uid, generation, "7", "2026-01-02T03:04:05Z"),
            (meta.Name, meta.Namespace, meta.Uid, meta.Generation, meta.ResourceVersion, meta.CreationTimestamp));
        Assert.Equal(new Dictionary<string, string> { ["app"] = "hello", ["serving.knative.dev/service"] = "hello" }, meta.Labels);
        Assert.Equal(new Dictionary<string, string> { ["serving.knative.dev/creator"] = "alice", ["note"] = "svc" }, meta.Annotations);
        Assert.Equal(
            new OwnerReference { ApiVersion = "serving.knative.dev/v1", Kind = "Service", Name = "hello", Uid = Uid, Controller = true },
            Assert.Single(meta.OwnerReferences!));
    }

    [Fact]
    public void MakeConfiguration_carries_the_template_and_the_configuration_status()
    {
        var configurationsReady = new Condition
        {
            Type = "ConfigurationsReady",
            Status = "Unknown",
            Reason = "R",
            Message = "m",
            LastTransitionTime = "2026-01-02T03:04:06Z",
        };

        var configuration = ServiceResources.MakeConfiguration(State([configurationsReady, new Condition { Type = "RoutesReady", Status = "True" }]));

        Assert.Equal(("serving.knative.dev/v1", "Configuration"), (configuration.ApiVersion, configuration.Kind));
        AssertChildMeta(configuration.Metadata!, generation: 2);
        Assert.Same(MakeService().Spec!.Template!.Spec, configuration.Spec!.Template!.Spec);
        var status = configuration.Status!;
        Assert.Equal((2L, "hello-00002", "hello-00001"), (status.ObservedGeneration, status.LatestCreatedRevisionName, status.LatestReadyRevisionName));
        Assert.Equal([configurationsReady with { Type = "Ready" }], status.Conditions);
    }

    [Fact]
    public void MakeConfiguration_without_a_status_has_no_conditions()
    {
        var state = State();
        state.Status = null;

        var status = ServiceResources.MakeConfiguration(state).Status!;

        Assert.Equal((2L, null, null, 0), (status.ObservedGeneration, status.LatestCreatedRevisionName, status.LatestReadyRevisionName, status.Conditions!.Count));
    }

    [Fact]
    public void MakeRoute_carries_the_traffic_and_the_route_status()
    {
        var state = State();

        var route = ServiceResources.MakeRoute(state);

        Assert.Equal(("serving.knative.dev/v1", "Route"), (route.ApiVersion, route.Kind));
        AssertChildMeta(route.Metadata!, generation: 4);
        Assert.Same(state.Service!.Spec!.Traffic, route.Spec!.Traffic);
        var status = route.Status!;
        Assert.Equal(4, status.ObservedGeneration);
        Assert.Same(state.RouteConditions, status.Conditions);
        Assert.Equal(("http://hello.team-a.example.com", "http://hello.team-a.svc.cluster.local"), (status.Url, status.Address!.Url));
        Assert.Same(state.Status!.Traffic, status.Traffic);
    }
}
