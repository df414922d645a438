using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Knative.Orleans.E2E.Tests.Infrastructure;

namespace Knative.Orleans.E2E.Tests;

[Collection(PlatformCollection.Name)]
[Trait("Category", "E2E")]
public sealed class AdminApiE2ETests(PlatformFixture fx)
{
    private PlatformProcess P => fx.Platform;

    [Theory]
    [InlineData(null, "Unauthorized: missing bearer token (Authorization: Bearer <Admin:Token>)")]
    [InlineData("wrong", "Unauthorized: wrong bearer token")]
    public async Task Requests_without_the_right_token_get_401_Status(string? token, string message)
    {
        using var client = new HttpClient { BaseAddress = P.Admin.BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.GetAsync(Manifests.ServicePath("default"));
        var status = await AssertStatusAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
        Assert.Equal(message, (string?)status["message"]);
    }

    [Fact]
    public async Task Malformed_and_invalid_bodies_get_400_with_every_error_and_store_nothing()
    {
        using var malformed = await P.Admin.PostAsync(Manifests.ServicePath("admin"), Manifests.Json("{\"metadata\": "));
        var m = await AssertStatusAsync(malformed, HttpStatusCode.BadRequest, "BadRequest");
        Assert.StartsWith("the request body is malformed", (string?)m["message"]);

        const string invalid = """
            apiVersion: serving.knative.dev/v1
            kind: Service
            metadata:
              name: Bad_Name
            spec:
              template:
                spec:
                  containers: []
            """;
        using var response = await P.Admin.PostAsync(Manifests.ServicePath("admin"), Manifests.Yaml(invalid));
        var s = await AssertStatusAsync(response, HttpStatusCode.BadRequest, "BadRequest");
        var message = (string)s["message"]!;
        Assert.StartsWith("validation failed: ", message);
        Assert.Contains("missing field(s): spec.template.spec.containers", message);
        Assert.Contains("not a DNS 1035 label", message);

        var list = await P.Admin.GetJsonAsync(Manifests.ServicePath("admin"));
        Assert.Equal("ServiceList", (string?)list["kind"]);
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task A_bad_autoscaling_annotation_is_refused_like_knatives_webhook()
    {
        const string yaml = """
            apiVersion: serving.knative.dev/v1
            kind: Service
            metadata:
              name: badscale
            spec:
              template:
                metadata:
                  annotations:
                    autoscaling.knative.dev/min-scale: "-1"
                    autoscaling.knative.dev/panic-threshold-percentage: "50"
                spec:
                  containers:
                    - image: x
                      command: ["/usr/bin/python3", "app.py"]
            """;
        using var response = await P.Admin.PostAsync(Manifests.ServicePath("admin4"), Manifests.Yaml(yaml));
        var status = await AssertStatusAsync(response, HttpStatusCode.BadRequest, "BadRequest");
        Assert.Equal(
            "validation failed: expected 0 <= -1 <= 2147483647: spec.template.metadata.annotations.autoscaling.knative.dev/min-scale\n"
            + "expected 110 <= 50 <= 1000: spec.template.metadata.annotations.autoscaling.knative.dev/panic-threshold-percentage",
            (string?)status["message"]);
        using var missing = await P.Admin.GetAsync(Manifests.ServicePath("admin4", "badscale"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Conflicts_missing_objects_oversized_bodies_and_wrong_media_types_get_their_codes()
    {
        var marker = Guid.NewGuid().ToString("N");
        using var first = await P.Admin.PostAsync(Manifests.ServicePath("admin2"), Manifests.Yaml(Manifests.HelloYaml("dup", marker)));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using var second = await P.Admin.PostAsync(Manifests.ServicePath("admin2"), Manifests.Yaml(Manifests.HelloYaml("dup", marker, "other")));
        var conflict = await AssertStatusAsync(second, HttpStatusCode.Conflict, "AlreadyExists");
        Assert.Equal("services.serving.knative.dev \"dup\" already exists", (string?)conflict["message"]);
        var stored = await P.Admin.GetJsonAsync(Manifests.ServicePath("admin2", "dup"));
        Assert.Equal("world", (string?)stored["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]![0]!["value"]);

        using var missing = await P.Admin.GetAsync(Manifests.ServicePath("admin2", "nope"));
        var nf = await AssertStatusAsync(missing, HttpStatusCode.NotFound, "NotFound");
        Assert.Equal("services.serving.knative.dev \"nope\" not found", (string?)nf["message"]);
        using var missingRevision = await P.Admin.GetAsync(Manifests.RevisionPath("admin2", "nope-00001"));
        await AssertStatusAsync(missingRevision, HttpStatusCode.NotFound, "NotFound");

        var huge = Manifests.HelloYaml("huge", marker, new string('x', 4 * 1024 * 1024));
        using var tooLarge = await P.Admin.PutAsync(Manifests.ServicePath("admin2", "huge"), Manifests.Yaml(huge));
        await AssertStatusAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge");

        using var form = await P.Admin.PostAsync(Manifests.ServicePath("admin2"), new FormUrlEncodedContent([]));
        await AssertStatusAsync(form, HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType");

        using var patch = await P.Admin.PatchAsync(Manifests.RevisionPath("admin2", "dup-00001"), Manifests.Json("{}"));
        await AssertStatusAsync(patch, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed");

        using var mismatch = await P.Admin.PutAsync(Manifests.ServicePath("admin2", "other"), Manifests.Yaml(Manifests.HelloYaml("dup", marker)));
        await AssertStatusAsync(mismatch, HttpStatusCode.BadRequest, "BadRequest");

        using var badNs = await P.Admin.GetAsync(Manifests.ServicePath("Bad_NS"));
        await AssertStatusAsync(badNs, HttpStatusCode.BadRequest, "BadRequest");

        await P.Admin.DeleteAsync(Manifests.ServicePath("admin2", "dup"));
        Assert.Empty(await Workloads.WaitGoneAsync(marker, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Answers_are_yaml_when_asked_and_views_of_configurations_and_routes_exist()
    {
        var marker = Guid.NewGuid().ToString("N");
        using var _ = await P.Admin.PostAsync(Manifests.ServicePath("admin3"), Manifests.Yaml(Manifests.HelloYaml("views", marker)));

        using var request = new HttpRequestMessage(HttpMethod.Get, Manifests.ServicePath("admin3", "views"));
        request.Headers.Accept.ParseAdd("application/yaml");
        using var yaml = await P.Admin.SendAsync(request);
        Assert.Equal("application/yaml", yaml.Content.Headers.ContentType?.MediaType);
        var text = await yaml.Content.ReadAsStringAsync();
        Assert.Contains("apiVersion: serving.knative.dev/v1", text);
        Assert.Contains("kind: Service", text);

        var config = await P.Admin.GetJsonAsync("/apis/serving.knative.dev/v1/namespaces/admin3/configurations/views");
        Assert.Equal("Configuration", (string?)config["kind"]);
        Assert.Equal("views-00001", (string?)config["status"]!["latestCreatedRevisionName"]);
        var route = await P.Admin.GetJsonAsync("/apis/serving.knative.dev/v1/namespaces/admin3/routes/views");
        Assert.Equal("http://views.admin3.example.com", (string?)route["status"]!["url"]);
        var routes = await P.Admin.GetJsonAsync("/apis/serving.knative.dev/v1/namespaces/admin3/routes");
        Assert.Equal("RouteList", (string?)routes["kind"]);
        await P.Admin.DeleteAsync(Manifests.ServicePath("admin3", "views"));
    }

    private static async Task<JsonNode> AssertStatusAsync(HttpResponseMessage response, HttpStatusCode code, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == code, $"expected {(int)code}, got {(int)response.StatusCode}: {body}");
        var status = JsonNode.Parse(body)!;
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal(reason, (string?)status["reason"]);
        Assert.Equal((int)code, (int)status["code"]!);
        return status;
    }
}
