using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Contracts.Tests.Serving;

/// <summary>Route and Configuration admission (knative/serving route_validation.go, configuration_validation.go, revision_validation.go).</summary>
public sealed class RouteAndConfigurationValidationTests
{
    private static Route Route(params TrafficTarget[] traffic) => new() { Metadata = new ObjectMeta { Name = "r" }, Spec = new RouteSpec { Traffic = [.. traffic] } };

    public static TheoryData<string, Route, string> RouteCases => new()
    {
        { "valid split", Route(new TrafficTarget { ConfigurationName = "a", Percent = 50 }, new TrafficTarget { RevisionName = "a-00001", Percent = 50 }), "" },
        { "no traffic is allowed", Route(), "" },
        {
            "both and neither",
            Route(new TrafficTarget { ConfigurationName = "a", RevisionName = "a-1", Percent = 50 }, new TrafficTarget { Percent = 50 }),
            "expected exactly one, got both: spec.traffic[0].configurationName, spec.traffic[0].revisionName\n"
            + "expected exactly one, got neither: spec.traffic[1].configurationName, spec.traffic[1].revisionName"
        },
        { "sum", Route(new TrafficTarget { ConfigurationName = "a", Percent = 90 }), "Traffic targets sum to 90, want 100: spec.traffic" },
        {
            "bad name and kind",
            new Route { Kind = "Service", Metadata = new ObjectMeta { Name = "Bad" }, Spec = new RouteSpec() },
            "invalid value: Service: kind\nexpected \"Route\"\n"
            + "not a DNS 1035 label: [a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')]: metadata.name"
        },
        {
            "rollout duration",
            new Route
            {
                Metadata = new ObjectMeta { Name = "r", Annotations = new() { ["serving.knative.dev/rollout-duration"] = "-211s" } },
                Spec = new RouteSpec(),
            },
            "rollout-duration=-211s must be positive: metadata.annotations.serving.knative.dev/rollout-duration"
        },
    };

    [Theory]
    [MemberData(nameof(RouteCases))]
    public void Route_validation(string name, Route route, string want) => Assert.True(want == RouteValidation.Validate(route).ToString(), name + ": " + RouteValidation.Validate(route));

    [Fact]
    public void Configuration_byo_name_must_have_its_prefix_and_containers_are_required()
    {
        var configuration = new Configuration
        {
            Metadata = new ObjectMeta { Name = "cfg" },
            Spec = new ConfigurationSpec { Template = new RevisionTemplateSpec { Metadata = new ObjectMeta { Name = "other-1" }, Spec = new RevisionSpec() } },
        };

        Assert.Equal("invalid value: \"other-1\" must have prefix \"cfg-\": spec.template.metadata.name\nmissing field(s): spec.template.spec.containers",
            ConfigurationValidation.Validate(configuration, localProcessRuntime: false, AutoscalingLimits.Default).ToString());
    }

    [Fact]
    public void Configuration_metadata_refuses_autoscaling_annotations()
    {
        var configuration = new Configuration
        {
            Metadata = new ObjectMeta { Name = "cfg", Annotations = new() { ["autoscaling.knative.dev/min-scale"] = "1" } },
            Spec = new ConfigurationSpec { Template = new RevisionTemplateSpec { Spec = new RevisionSpec { Containers = [new Container { Image = "x" }] } } },
        };

        Assert.Equal("invalid key name \"autoscaling.knative.dev/min-scale\": metadata.annotations\n"
            + "autoscaling annotations must be put under \"spec.template.metadata.annotations\" to work",
            ConfigurationValidation.Validate(configuration, localProcessRuntime: false, AutoscalingLimits.Default).ToString());
    }

    [Fact]
    public void Route_defaults_latest_revision_from_the_revision_name()
    {
        var route = ServiceDefaults.WithDefaults(Route(new TrafficTarget { ConfigurationName = "a", Percent = 50 }, new TrafficTarget { RevisionName = "a-1", Percent = 50 }));

        Assert.Equal([true, false], route.Spec!.Traffic!.Select(t => t.LatestRevision));
    }
}

/// <summary>Template checks added with the Serving API fidelity work: disallowed container fields, progress-deadline.</summary>
public sealed class TemplateFieldValidationTests
{
    private static string Validate(string containerJson, string annotations = "{}")
    {
        var json = "{\"metadata\": {\"name\": \"cfg\"}, \"spec\": {\"template\": {\"metadata\": {\"annotations\": " + annotations
            + "}, \"spec\": {\"containers\": [" + containerJson + "]}}}}";
        Assert.True(Knative.Orleans.Contracts.Manifests.ManifestSerializer.TryDeserialize<Configuration>(System.Text.Encoding.UTF8.GetBytes(json),
            Knative.Orleans.Contracts.Manifests.ManifestFormat.Json, out var configuration, out var error), error);
        return ConfigurationValidation.Validate(configuration!, localProcessRuntime: false, AutoscalingLimits.Default).ToString();
    }

    public static TheoryData<string, string, string, string> Cases => new()
    {
        { "allowed fields only", """{"image": "x"}""", "{}", "" },
        {
            "lifecycle, stdin and tty are not Knative's", """{"image": "x", "lifecycle": {"preStop": {}}, "stdin": true, "tty": true, "stdinOnce": false}""", "{}",
            "must not set the field(s): spec.template.spec.containers[0].lifecycle, spec.template.spec.containers[0].stdin, spec.template.spec.containers[0].tty"
        },
        {
            "hostPort", """{"image": "x", "ports": [{"containerPort": 8080, "hostPort": 80}]}""", "{}",
            "must not set the field(s): spec.template.spec.containers[0].ports.hostPort"
        },
        {
            "progress-deadline not whole seconds", """{"image": "x"}""", """{"serving.knative.dev/progress-deadline": "1500ms"}""",
            "progress-deadline=1500ms is not at second precision: spec.template.metadata.annotations.serving.knative.dev/progress-deadline"
        },
        {
            "progress-deadline zero", """{"image": "x"}""", """{"serving.knative.dev/progress-deadline": "0s"}""",
            "progress-deadline=0s must be positive: spec.template.metadata.annotations.serving.knative.dev/progress-deadline"
        },
        {
            "progress-deadline garbage", """{"image": "x"}""", """{"serving.knative.dev/progress-deadline": "soon"}""",
            "invalid value: soon: spec.template.metadata.annotations.serving.knative.dev/progress-deadline"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validates(string name, string container, string annotations, string want)
    {
        var got = Validate(container, annotations);
        Assert.True(want == got, name + ": " + got);
    }
}
