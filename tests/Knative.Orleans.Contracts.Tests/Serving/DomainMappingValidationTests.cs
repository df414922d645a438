using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Contracts.Tests.Serving;

/// <summary>Knative's DomainMapping validation messages (domainmapping_validation.go, KReference.Validate).</summary>
public sealed class DomainMappingValidationTests
{
    private static DomainMapping Mapping(string name, KReference? reference, string? generateName = null) => new()
    {
        ApiVersion = DomainMapping.V1Beta1,
        Kind = "DomainMapping",
        Metadata = new ObjectMeta { Name = name, GenerateName = generateName },
        Spec = new DomainMappingSpec { Ref = reference },
    };

    private static readonly KReference Hello = new() { Kind = "Service", ApiVersion = "serving.knative.dev/v1", Name = "hello" };

    public static TheoryData<DomainMapping, string> Cases => new()
    {
        { Mapping("hello.example.org", Hello), "" },
        { Mapping("hello.example.org.", Hello), "" },
        { Mapping("hello.example.org", Hello with { Namespace = "default" }), "" },
        { Mapping("hello", Hello), "invalid name \"hello\": name: Invalid value: \"hello\": should be a domain with at least two segments separated by dots: metadata.name" },
        {
            Mapping("Hello.example.org", Hello),
            "invalid name \"Hello.example.org\": name: Invalid value: \"Hello.example.org\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'): metadata.name"
        },
        { Mapping("x.svc.cluster.local", Hello), "invalid name \"x.svc.cluster.local\": must not be a subdomain of cluster local domain \"cluster.local\": metadata.name" },
        { Mapping("a.example.org", null), "missing field(s): spec.ref.apiVersion, spec.ref.kind, spec.ref.name" },
        { Mapping("a.example.org", new KReference { Name = "x" }), "missing field(s): spec.ref.apiVersion, spec.ref.kind" },
        {
            Mapping("a.example.org", Hello with { Namespace = "other" }),
            "mismatched namespaces: spec.ref.namespace\nparent namespace: \"default\" does not match ref: \"other\""
        },
        {
            Mapping("a.example.org", Hello, generateName: "x-"),
            "must not set the field(s): metadata.generateName"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Messages_are_knatives(DomainMapping mapping, string expected) =>
        Assert.Equal(expected, DomainMappingValidation.Validate(mapping, "default").ToString());
}
