using System.Text;
using Knative.Orleans.Contracts.Manifests;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Contracts.Tests.Manifests;

public sealed class ManifestSerializerErrorTests
{
    public static TheoryData<string, ManifestFormat, string> Malformed => new()
    {
        { "", ManifestFormat.Json, "the request body is empty" },
        { "  \r\n ", ManifestFormat.Yaml, "the request body is empty" },
        { "[1, 2]", ManifestFormat.Json, "expected a JSON object at the top level" },
        { "\"svc\"", ManifestFormat.Json, "expected a JSON object at the top level" },
        { "null", ManifestFormat.Json, "expected a JSON object at the top level" },
        { "- a\n- b\n", ManifestFormat.Yaml, "expected a YAML mapping (an object) at the top level" },
        { "just text", ManifestFormat.Yaml, "expected a YAML mapping (an object) at the top level" },
        { "# only a comment\n", ManifestFormat.Yaml, "invalid YAML: expected exactly one YAML document, got 0" },
        { "a: 1\n---\nb: 2\n", ManifestFormat.Yaml, "invalid YAML: expected exactly one YAML document, got 2" },
        { "kind: Service\nkind: Route\n", ManifestFormat.Yaml, "invalid YAML: line 2, column 1: duplicate key \"kind\"" },
        { "metadata:\n  name: a: b\n", ManifestFormat.Yaml, "invalid YAML: line 2, column 10: While scanning a plain scalar value, found invalid mapping." },
        { "{\"kind\" \"Service\"}", ManifestFormat.Json, "invalid JSON at line 1, column 9: '\"' is invalid after a property name. Expected a ':'." },
        { "{\n  \"kind\": \"Service\",\n}", ManifestFormat.Json, "invalid JSON at line 3, column 1: The JSON object contains a trailing comma at the end which is not supported in this mode. Change the reader options." },
        { "<html>", ManifestFormat.Json, "invalid JSON at line 1, column 1: '<' is an invalid start of a value." },
        { "{\"spec\": \"x\"}", ManifestFormat.Json, "invalid value at spec at line 1, column 13: expected an object" },
        { "spec: x\n", ManifestFormat.Yaml, "invalid value at spec (line 1): expected an object" },
        { "metadata:\n  labels: [a]\n", ManifestFormat.Yaml, "invalid value at metadata.labels (line 2): expected a map (an object of keys and values)" },
        { "spec:\n  traffic:\n    percent: 100\n", ManifestFormat.Yaml, "invalid value at spec.traffic (line 3): expected a list (an array)" },
        { "metadata:\n  generation: one\n", ManifestFormat.Yaml, "invalid value at metadata.generation (line 2): expected an integer" },
        { "spec:\n  traffic:\n  - latestRevision: yes\n", ManifestFormat.Yaml, "invalid value at spec.traffic[0].latestRevision (line 3): expected a boolean (true or false)" },
        { "{\"metadata\":{\"generation\":\"1\"}}", ManifestFormat.Json, "invalid value at metadata.generation at line 1, column 30: expected an integer" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_bodies_give_a_short_message(string body, ManifestFormat format, string expected)
    {
        var ok = ManifestSerializer.TryDeserialize<Service>(Encoding.UTF8.GetBytes(body), format, out var value, out var error);

        Assert.False(ok);
        Assert.Null(value);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void An_unquoted_number_for_an_env_value_is_refused_like_kubernetes_does()
    {
        const string yaml = """
            spec:
              template:
                spec:
                  containers:
                  - image: x
                    env:
                    - name: PORT_NUMBER
                      value: 8080
            """;

        var ok = ManifestSerializer.TryDeserialize<Service>(Encoding.UTF8.GetBytes(yaml), ManifestFormat.Yaml, out _, out var error);

        Assert.False(ok);
        Assert.Equal(
            "invalid value at spec.template.spec.containers[0].env[0].value (line 8): expected a string (put the value in quotes)",
            error);
    }

    [Fact]
    public void An_unquoted_annotation_number_names_the_annotation_key()
    {
        const string yaml = """
            spec:
              template:
                metadata:
                  annotations:
                    autoscaling.knative.dev/min-scale: 1
            """;

        ManifestSerializer.TryDeserialize<Service>(Encoding.UTF8.GetBytes(yaml), ManifestFormat.Yaml, out _, out var error);

        Assert.Equal(
            "invalid value at spec.template.metadata.annotations.autoscaling.knative.dev/min-scale (line 5): expected a string (put the value in quotes)",
            error);
    }

    [Theory]
    [InlineData("""{"ports":[{"containerPort":true}]}""", "invalid value at ports[0].containerPort at line 1, column 32: expected an integer")]
    [InlineData("""{"readinessProbe":{"tcpSocket":{"port":[1]}}}""", "invalid value at readinessProbe.tcpSocket.port at line 1, column 41: expected an integer or a string")]
    [InlineData("""{"resources":{"limits":{"cpu":[1]}}}""", "invalid value at resources.limits at line 1, column 32: quantity \"cpu\" must be a string or a number, for example \"500m\" or 1")]
    public void Messages_never_name_dotnet_types(string json, string expected)
    {
        ManifestSerializer.TryDeserialize<Container>(Encoding.UTF8.GetBytes(json), ManifestFormat.Json, out _, out var error);

        Assert.Equal(expected, error);
        Assert.DoesNotContain("System.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Knative.Orleans", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_utf8_bom_is_ignored()
    {
        var body = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"kind":"Service"}""")).ToArray();

        Assert.True(ManifestSerializer.TryDeserialize<Service>(body, ManifestFormat.Json, out var service, out _));
        Assert.Equal("Service", service!.Kind);
    }
}
