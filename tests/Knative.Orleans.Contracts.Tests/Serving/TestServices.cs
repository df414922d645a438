using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Contracts.Tests.Serving;

/// <summary>Builds Service manifests for tests: a valid hello-world service plus small edits.</summary>
internal static class TestServices
{
    public const string Dns1035Details =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    public static Service Valid => new()
    {
        ApiVersion = "serving.knative.dev/v1",
        Kind = "Service",
        Metadata = new ObjectMeta { Name = "svc" },
        Spec = new ServiceSpec
        {
            Template = new RevisionTemplateSpec
            {
                Spec = new RevisionSpec { Containers = [new Container { Image = "ghcr.io/knative/helloworld-go", Command = ["/usr/bin/python3", "app.py"] }] },
            },
        },
    };

    public static Service WithMeta(this Service s, ObjectMeta meta) => s with { Metadata = meta };

    public static Service WithSpec(this Service s, Func<RevisionSpec, RevisionSpec> edit) =>
        s with { Spec = s.Spec! with { Template = s.Spec.Template! with { Spec = edit(s.Spec.Template.Spec!) } } };

    public static Service WithContainers(this Service s, params Container[] containers) =>
        s.WithSpec(spec => spec with { Containers = [.. containers] });

    public static Service WithContainer(this Service s, Func<Container, Container> edit) =>
        s.WithContainers(edit(new Container { Image = "ghcr.io/knative/helloworld-go", Command = ["/usr/bin/python3", "app.py"] }));

    public static Service WithTemplateMeta(this Service s, ObjectMeta meta) =>
        s with { Spec = s.Spec! with { Template = s.Spec.Template! with { Metadata = meta } } };

    public static Service WithTemplateAnnotations(this Service s, params (string Key, string Value)[] annotations) =>
        s.WithTemplateMeta(new ObjectMeta { Annotations = annotations.ToDictionary(a => a.Key, a => a.Value) });

    public static Service WithTraffic(this Service s, params TrafficTarget[] traffic) =>
        s with { Spec = s.Spec! with { Traffic = [.. traffic] } };

    public static Service WithReadinessProbe(this Service s, Probe probe) =>
        s.WithContainer(c => c with { ReadinessProbe = probe });

    public static IntOrString Port(int port) => new() { IntValue = port };

    public static IntOrString Port(string name) => new() { StringValue = name };
}
