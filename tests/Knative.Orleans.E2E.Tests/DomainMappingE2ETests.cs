using System.Net;
using System.Text.Json.Nodes;
using Knative.Orleans.E2E.Tests.Infrastructure;

namespace Knative.Orleans.E2E.Tests;

/// <summary>DomainMapping (<c>serving.knative.dev/v1beta1</c>) through the admin API and the real gateway.</summary>
[Collection(PlatformCollection.Name)]
[Trait("Category", "E2E")]
public sealed class DomainMappingE2ETests(PlatformFixture fx)
{
    private const string Ns = "mapping";
    private const string Host = "shop.example.org";

    private PlatformProcess P => fx.Platform;

    private static string MappingPath(string ns, string name = "") =>
        $"/apis/serving.knative.dev/v1beta1/namespaces/{ns}/domainmappings" + (name.Length > 0 ? "/" + name : "");

    private static string MappingYaml(string host, string service) => $"""
        apiVersion: serving.knative.dev/v1beta1
        kind: DomainMapping
        metadata:
          name: {host}
        spec:
          ref:
            name: {service}
            kind: Service
            apiVersion: serving.knative.dev/v1
        """;

    [Fact]
    public async Task A_mapped_host_reaches_the_service_until_the_mapping_is_deleted()
    {
        var marker = Guid.NewGuid().ToString("N");
        using (var created = await P.Admin.PostAsync(Manifests.ServicePath(Ns), Manifests.Yaml(Manifests.HelloYaml("shop", marker, "mapped"))))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var created = await P.Admin.PostAsync(MappingPath(Ns), Manifests.Yaml(MappingYaml(Host, "shop"))))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var mapping = await P.Admin.WaitForAsync(MappingPath(Ns, Host), m => Manifests.Condition(m, "Ready") == "True", "mapping ready");
        Assert.Equal("DomainMapping", (string?)mapping["kind"]);
        Assert.Equal("serving.knative.dev/v1beta1", (string?)mapping["apiVersion"]);
        Assert.Equal("http://shop.example.org", (string?)mapping["status"]!["url"]);
        foreach (var type in new[] { "DomainClaimed", "ReferenceResolved", "IngressReady", "CertificateProvisioned" })
        {
            Assert.Equal("True", Manifests.Condition(mapping, type));
        }

        Assert.Equal("TLSNotEnabled", Manifests.Condition(mapping, "CertificateProvisioned", "reason"));
        var list = await P.Admin.GetJsonAsync(MappingPath(Ns));
        Assert.Equal("DomainMappingList", (string?)list["kind"]);
        Assert.Contains(list["items"]!.AsArray(), i => (string?)i!["metadata"]!["name"] == Host);

        Assert.Equal("Hello mapped!\n", await BodyAsync(Host, HttpStatusCode.OK));

        // Another namespace cannot take the host.
        using (var other = await P.Admin.PutAsync(MappingPath("mapping-other", Host), Manifests.Yaml(MappingYaml(Host, "shop"))))
        {
            Assert.Equal(HttpStatusCode.Created, other.StatusCode);
            var body = JsonNode.Parse(await other.Content.ReadAsStringAsync())!;
            Assert.Equal("False", Manifests.Condition(body, "DomainClaimed"));
            Assert.Equal("DomainAlreadyClaimed", Manifests.Condition(body, "DomainClaimed", "reason"));
            Assert.Equal("The domain name is already in use by another DomainMapping", Manifests.Condition(body, "Ready", "message"));
        }

        Assert.Equal("Hello mapped!\n", await BodyAsync(Host, HttpStatusCode.OK));

        using (var deleted = await P.Admin.DeleteAsync(MappingPath("mapping-other", Host)))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        using (var deleted = await P.Admin.DeleteAsync(MappingPath(Ns, Host)))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        Assert.Equal("no route for host \"shop.example.org\"", await BodyAsync(Host, HttpStatusCode.NotFound));
        using (var gone = await P.Admin.GetAsync(MappingPath(Ns, Host)))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        using var deletedService = await P.Admin.DeleteAsync(Manifests.ServicePath(Ns, "shop"));
        Assert.Equal(HttpStatusCode.OK, deletedService.StatusCode);
    }

    [Fact]
    public async Task Invalid_mappings_get_knatives_messages_and_nothing_is_stored()
    {
        using var response = await P.Admin.PostAsync(MappingPath(Ns), Manifests.Yaml("""
            apiVersion: serving.knative.dev/v1beta1
            kind: DomainMapping
            metadata:
              name: nodots
            spec:
              ref:
                name: shop
                namespace: elsewhere
            """));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal(
            "validation failed: invalid name \"nodots\": name: Invalid value: \"nodots\": should be a domain with at least two segments separated by dots: metadata.name\n"
            + "mismatched namespaces: spec.ref.namespace\nparent namespace: \"mapping\" does not match ref: \"elsewhere\"\n"
            + "missing field(s): spec.ref.apiVersion, spec.ref.kind",
            (string?)status["message"]);
        using var get = await P.Admin.GetAsync(MappingPath(Ns, "nodots"));
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    /// <summary>Polls until the host answers <paramref name="expected"/> (pushes to the gateway trail the admin API by a moment).</summary>
    private async Task<string> BodyAsync(string host, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.Host = host;
            using var response = await P.Gateway.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == expected)
            {
                return body;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{host}: {(int)response.StatusCode} {body}, want {(int)expected}");
            await Task.Delay(100);
        }
    }
}
