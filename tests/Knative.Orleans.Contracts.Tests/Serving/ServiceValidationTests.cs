using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;
using static Knative.Orleans.Contracts.Tests.Serving.TestServices;

namespace Knative.Orleans.Contracts.Tests.Serving;

public sealed class ServiceValidationTests
{
    public static TheoryData<string, Service, string> MetadataCases => new()
    {
        { "invalid name", Valid.WithMeta(new() { Name = "Bad_Name" }), $"not a DNS 1035 label: [{Dns1035Details}]: metadata.name" },
        { "name starting with a digit", Valid.WithMeta(new() { Name = "1svc" }), $"not a DNS 1035 label: [{Dns1035Details}]: metadata.name" },
        { "name too long", Valid.WithMeta(new() { Name = new string('a', 64) }), "not a DNS 1035 label: [must be no more than 63 characters]: metadata.name" },
        {
            "name too long and invalid", Valid.WithMeta(new() { Name = new string('A', 64) }),
            $"not a DNS 1035 label: [must be no more than 63 characters {Dns1035Details}]: metadata.name"
        },
        { "no name", Valid.WithMeta(new()), "name or generateName is required: metadata.name" },
        { "no metadata", Valid with { Metadata = null }, "name or generateName is required: metadata.name" },
        { "invalid generateName", Valid.WithMeta(new() { GenerateName = "Svc-" }), $"not a DNS 1035 label prefix: [{Dns1035Details}]: metadata.generateName" },
        {
            "wrong apiVersion", Valid with { ApiVersion = "serving.knative.dev/v1alpha1" },
            "invalid value: serving.knative.dev/v1alpha1: apiVersion\nexpected \"serving.knative.dev/v1\""
        },
        { "wrong kind", Valid with { Kind = "Deployment" }, "invalid value: Deployment: kind\nexpected \"Service\"" },
        {
            "autoscaling annotation on the service",
            Valid.WithMeta(new() { Name = "svc", Annotations = new() { ["autoscaling.knative.dev/min-scale"] = "1" } }),
            "invalid key name \"autoscaling.knative.dev/min-scale\": metadata.annotations\nautoscaling annotations must be put under \"spec.template.metadata.annotations\" to work"
        },
        {
            "rollout duration below a second",
            Valid.WithMeta(new() { Name = "svc", Annotations = new() { ["serving.knative.dev/rollout-duration"] = "211s44ms" } }),
            "rollout-duration=211s44ms is not at second precision: metadata.annotations.serving.knative.dev/rollout-duration"
        },
        {
            "negative rollout duration",
            Valid.WithMeta(new() { Name = "svc", Annotations = new() { ["serving.knative.dev/rolloutDuration"] = "-211s" } }),
            "rollout-duration=-211s must be positive: metadata.annotations.serving.knative.dev/rolloutDuration"
        },
        {
            "malformed rollout duration",
            Valid.WithMeta(new() { Name = "svc", Annotations = new() { ["serving.knative.dev/rollout-duration"] = "soon" } }),
            "invalid value: soon: metadata.annotations.serving.knative.dev/rollout-duration"
        },
        {
            "visibility label", Valid.WithMeta(new() { Name = "svc", Labels = new() { ["networking.knative.dev/visibility"] = "public" } }),
            "invalid value: public: metadata.labels.networking.knative.dev/visibility"
        },
        { "BYO name without the prefix", Valid.WithTemplateMeta(new() { Name = "x" }), "invalid value: \"x\" must have prefix \"svc-\": spec.template.metadata.name" },
        { "BYO name of another service", Valid.WithTemplateMeta(new() { Name = "svc2-v1" }), "invalid value: \"svc2-v1\" must have prefix \"svc-\": spec.template.metadata.name" },
        {
            "BYO name not a label", Valid.WithTemplateMeta(new() { Name = "svc_v1" }),
            $"invalid value: not a DNS 1035 label: [{Dns1035Details}]: spec.template.metadata.name"
        },
        {
            "BYO name under generateName", Valid.WithMeta(new() { GenerateName = "svc-" }).WithTemplateMeta(new() { Name = "svc-v1" }),
            "must not set the field(s): spec.template.metadata.name"
        },
        {
            "template generateName not a prefix", Valid.WithTemplateMeta(new() { GenerateName = "Svc-" }),
            $"invalid value: not a DNS 1035 label prefix: [{Dns1035Details}]: spec.template.metadata.generateName"
        },
    };

    [Theory]
    [MemberData(nameof(MetadataCases))]
    public void Metadata_rules(string rule, Service service, string expected) =>
        Assert.True(expected == ServiceValidation.Validate(service, localProcessRuntime: false).ToString(), rule + ": " + ServiceValidation.Validate(service, localProcessRuntime: false));

    public static TheoryData<string, Service> ValidServices => new()
    {
        { "hello world", Valid },
        { "no apiVersion and kind", Valid with { ApiVersion = null, Kind = null } },
        { "generateName only", Valid.WithMeta(new() { GenerateName = "svc-" }) },
        { "generateName with a long prefix", Valid.WithMeta(new() { GenerateName = new string('a', 62) + "-" }) },
        { "BYO name", Valid.WithTemplateMeta(new() { Name = "svc-v1" }) },
        { "cluster-local", Valid.WithMeta(new() { Name = "svc", Labels = new() { ["networking.knative.dev/visibility"] = "cluster-local" } }) },
        { "rollout duration", Valid.WithMeta(new() { Name = "svc", Annotations = new() { ["serving.knative.dev/rollout-duration"] = "2m30s" } }) },
        { "63-character name", Valid.WithMeta(new() { Name = "a" + new string('0', 62) }) },
    };

    [Theory]
    [MemberData(nameof(ValidServices))]
    public void Valid_services_have_no_error(string rule, Service service) =>
        Assert.True(ServiceValidation.Validate(service, localProcessRuntime: false).IsEmpty, rule + ": " + ServiceValidation.Validate(service, localProcessRuntime: false));

    [Fact]
    public void Every_error_is_reported_at_once_merged_and_sorted()
    {
        var service = new Service
        {
            ApiVersion = "v1",
            Metadata = new ObjectMeta { Name = "Bad_Name", Annotations = new() { ["autoscaling.knative.dev/max-scale"] = "3" } },
            Spec = new ServiceSpec
            {
                Template = new RevisionTemplateSpec
                {
                    Metadata = new ObjectMeta { Annotations = new() { ["autoscaling.knative.dev/min-scale"] = "-1" } },
                    Spec = new RevisionSpec
                    {
                        TimeoutSeconds = 601,
                        Containers =
                        [
                            new Container
                            {
                                Name = "queue-proxy",
                                Env = [new EnvVar { Name = "PORT", Value = "1" }, new EnvVar { Name = "K_SERVICE" }, new EnvVar { Value = "x" }],
                                Ports = [new ContainerPortSpec { ContainerPort = 8012 }],
                            },
                        ],
                    },
                },
                Traffic =
                [
                    new TrafficTarget { Tag = "t", RevisionName = "svc-00001", Percent = 40 },
                    new TrafficTarget { Tag = "t", LatestRevision = true, Percent = 50 },
                ],
            },
        };

        var errors = ServiceValidation.Validate(service, localProcessRuntime: false);

        Assert.Equal(
            """
            "K_SERVICE" is a reserved environment variable: spec.template.spec.containers[0].env[1].name
            "PORT" is a reserved environment variable: spec.template.spec.containers[0].env[0].name
            "queue-proxy" is a reserved container name: spec.template.spec.containers[0].name
            Multiple definitions for "t": spec.traffic[0].tag, spec.traffic[1].tag
            Traffic targets sum to 90, want 100: spec.traffic
            expected 0 <= -1 <= 2147483647: spec.template.metadata.annotations.autoscaling.knative.dev/min-scale
            expected 0 <= 601 <= 600: spec.template.spec.timeoutSeconds
            invalid key name "autoscaling.knative.dev/max-scale": metadata.annotations
            autoscaling annotations must be put under "spec.template.metadata.annotations" to work
            invalid value: 8012 is a reserved port: spec.template.spec.containers[0].ports.containerPort
            8012 is a reserved port, please use a different value
            invalid value: v1: apiVersion
            expected "serving.knative.dev/v1"
            missing field(s): spec.template.spec.containers[0].env[2].name, spec.template.spec.containers[0].image
            not a DNS 1035 label: [a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')]: metadata.name
            """.ReplaceLineEndings("\n"),
            errors.ToString());
        Assert.Equal(13, errors.Entries.Count); // the two "missing field(s)" entries render as one line
    }

    [Fact]
    public void Validation_does_not_change_the_service()
    {
        var service = Valid;
        var before = Knative.Orleans.Contracts.Manifests.ManifestSerializer.Serialize(service, Knative.Orleans.Contracts.Manifests.ManifestFormat.Json);

        ServiceValidation.Validate(service, localProcessRuntime: false);

        Assert.Equal(before, Knative.Orleans.Contracts.Manifests.ManifestSerializer.Serialize(service, Knative.Orleans.Contracts.Manifests.ManifestFormat.Json));
        Assert.Null(service.Spec!.Traffic);
    }

    [Theory]
    [InlineData("default", "")]
    [InlineData("team-a", "")]
    [InlineData("1st", "")]
    [InlineData("", "missing field(s): metadata.namespace")]
    [InlineData("Team_A", "invalid value: Team_A: metadata.namespace\na lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")]
    public void Namespaces_are_dns_1123_labels(string ns, string expected) =>
        Assert.Equal(expected, ServiceValidation.ValidateNamespace(ns).ToString());

    [Fact]
    public void A_too_long_namespace_reports_both_problems()
    {
        var ns = new string('x', 63) + "-";

        var errors = ServiceValidation.ValidateNamespace(ns);

        Assert.Equal(2, errors.Entries.Count);
        Assert.StartsWith($"invalid value: {ns}: metadata.namespace\nmust be no more than 63 characters\n", errors.ToString(), StringComparison.Ordinal);
    }
}
