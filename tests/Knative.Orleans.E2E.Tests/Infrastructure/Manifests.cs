using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Knative.Orleans.E2E.Tests.Infrastructure;

/// <summary>Manifests and admin API helpers for the end-to-end tests.</summary>
public static class Manifests
{
    /// <summary>A Knative Service manifest as users write it, running the hello.py workload.</summary>
    public static string HelloYaml(string name, string marker, string target = "world", string? extraArgs = null,
        IReadOnlyDictionary<string, string>? env = null) => $"""
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata:
          name: {name}
        spec:
          template:
            spec:
              containers:
                - image: ghcr.io/knative/helloworld-go:latest
                  command: ["/usr/bin/python3", "{Repo.HelloPy}"{extraArgs}]
                  env:
                    - name: TARGET
                      value: "{target}"
                    - name: E2E_MARKER
                      value: "{marker}"
        {string.Concat((env ?? new Dictionary<string, string>()).Select(e => $"            - name: {e.Key}\n              value: \"{e.Value}\"\n"))}
        """;

    public static StringContent Yaml(string yaml) => new(yaml, Encoding.UTF8, "application/yaml");

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static string ServicePath(string ns, string name = "") =>
        $"/apis/serving.knative.dev/v1/namespaces/{ns}/services" + (name.Length > 0 ? "/" + name : "");

    public static string RevisionPath(string ns, string name = "") =>
        $"/apis/serving.knative.dev/v1/namespaces/{ns}/revisions" + (name.Length > 0 ? "/" + name : "");

    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>Polls a JSON resource until <paramref name="done"/> holds (bounded); fails with the last body.</summary>
    public static async Task<JsonNode> WaitForAsync(this HttpClient client, string path, Func<JsonNode, bool> done, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JsonNode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                last = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                if (done(last))
                {
                    return last;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"timed out waiting for {what}; last: {last?.ToJsonString(new JsonSerializerOptions { WriteIndented = true })}");
    }

    public static string? Condition(JsonNode resource, string type, string field = "status") =>
        resource["status"]?["conditions"]?.AsArray().FirstOrDefault(c => (string?)c!["type"] == type)?[field]?.GetValue<string>();

    /// <summary>A request through the gateway for a service host.</summary>
    public static HttpRequestMessage ToService(string name, string ns, string pathAndQuery = "/", HttpMethod? method = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, pathAndQuery);
        request.Headers.Host = $"{name}.{ns}.example.com";
        return request;
    }
}
