using System.Text;
using Knative.Orleans.Contracts.Manifests;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Contracts.Tests.Manifests;

public sealed class ManifestSerializerTests
{
    private const string HelloYaml = """
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata:
          name: hello
        spec:
          template:
            spec:
              containers:
                - image: ghcr.io/knative/helloworld-go:latest
                  ports:
                    - containerPort: 8080
                  env:
                    - name: TARGET
                      value: "World"
        """;

    private const string HelloJson = """
        {
          "apiVersion": "serving.knative.dev/v1",
          "kind": "Service",
          "metadata": { "name": "hello" },
          "spec": {
            "template": {
              "spec": {
                "containers": [
                  {
                    "image": "ghcr.io/knative/helloworld-go:latest",
                    "ports": [ { "containerPort": 8080 } ],
                    "env": [ { "name": "TARGET", "value": "World" } ]
                  }
                ]
              }
            }
          }
        }
        """;

    [Theory]
    [InlineData(HelloYaml, ManifestFormat.Yaml)]
    [InlineData(HelloJson, ManifestFormat.Json)]
    public void Reads_the_hello_world_manifest(string text, ManifestFormat format)
    {
        var service = Read<Service>(text, format);

        Assert.Equal("serving.knative.dev/v1", service.ApiVersion);
        Assert.Equal("Service", service.Kind);
        Assert.Equal("hello", service.Metadata!.Name);
        var container = Assert.Single(service.Spec!.Template!.Spec!.Containers!);
        Assert.Equal("ghcr.io/knative/helloworld-go:latest", container.Image);
        Assert.Equal(8080, Assert.Single(container.Ports!).ContainerPort);
        var env = Assert.Single(container.Env!);
        Assert.Equal(("TARGET", "World"), (env.Name, env.Value));
        Assert.Null(service.Status);
    }

    [Fact]
    public void Json_writes_camel_case_and_omits_nulls()
    {
        var service = new Service { ApiVersion = "serving.knative.dev/v1", Kind = "Service", Metadata = new() { Name = "hello" } };

        var json = ManifestSerializer.Serialize(service, ManifestFormat.Json);

        Assert.Equal("""{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"hello","generation":0}}""", json);
    }

    [Fact]
    public void Yaml_writes_block_style()
    {
        var service = Read<Service>(HelloJson, ManifestFormat.Json);

        var yaml = ManifestSerializer.Serialize(service, ManifestFormat.Yaml);

        Assert.Equal("""
            apiVersion: serving.knative.dev/v1
            kind: Service
            metadata:
              name: hello
              generation: 0
            spec:
              template:
                spec:
                  containers:
                  - image: ghcr.io/knative/helloworld-go:latest
                    env:
                    - name: TARGET
                      value: World
                    ports:
                    - containerPort: 8080

            """.ReplaceLineEndings("\n"), yaml);
    }

    [Theory]
    [InlineData(ManifestFormat.Json)]
    [InlineData(ManifestFormat.Yaml)]
    public void A_service_round_trips(ManifestFormat format)
    {
        var service = Read<Service>(HelloYaml, ManifestFormat.Yaml) with
        {
            Spec = new ServiceSpec
            {
                Template = new RevisionTemplateSpec
                {
                    Metadata = new() { Annotations = new() { ["autoscaling.knative.dev/min-scale"] = "1" } },
                    Spec = new RevisionSpec
                    {
                        Containers = [new Container { Image = "x", Env = [new EnvVar { Name = "FLAG", Value = "true" }] }],
                        TimeoutSeconds = 300,
                    },
                },
                Traffic = [new TrafficTarget { Tag = "current", RevisionName = "hello-00001", Percent = 100, LatestRevision = false }],
            },
        };

        var text = ManifestSerializer.Serialize(service, format);
        var back = Read<Service>(text, format);

        Assert.Equal(ManifestSerializer.Serialize(service, ManifestFormat.Json), ManifestSerializer.Serialize(back, ManifestFormat.Json));
        Assert.Equal("true", back.Spec!.Template!.Spec!.Containers![0].Env![0].Value);
        Assert.Equal("1", back.Spec.Template.Metadata!.Annotations!["autoscaling.knative.dev/min-scale"]);
    }

    [Theory]
    [InlineData("cpu: 1\n      memory: 128Mi", "1", "128Mi")]
    [InlineData("cpu: 0.5\n      memory: \"1Gi\"", "0.5", "1Gi")]
    [InlineData("cpu: 500m\n      memory: 1e3", "500m", "1e3")]
    public void Yaml_quantities_may_be_bare_numbers(string limits, string cpu, string memory)
    {
        var yaml = $"""
            image: x
            resources:
              limits:
                {limits}
            """;
        var container = Read<Container>(yaml.Replace("\n      ", "\n    "), ManifestFormat.Yaml);

        Assert.Equal(cpu, container.Resources!.Limits!["cpu"]);
        Assert.Equal(memory, container.Resources.Limits["memory"]);
        Assert.Contains("\"cpu\":\"" + cpu + "\"", ManifestSerializer.Serialize(container, ManifestFormat.Json), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_quantities_may_be_numbers()
    {
        var container = Read<Container>("""{"resources":{"requests":{"cpu":2,"memory":"64Mi"}}}""", ManifestFormat.Json);

        Assert.Equal("2", container.Resources!.Requests!["cpu"]);
    }

    private static T Read<T>(string text, ManifestFormat format)
    {
        var ok = ManifestSerializer.TryDeserialize<T>(Encoding.UTF8.GetBytes(text), format, out var value, out var error);
        Assert.True(ok, error);
        Assert.Equal("", error);
        return value!;
    }
}
