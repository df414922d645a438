using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Knative.Orleans.E2E.Tests.Infrastructure;

namespace Knative.Orleans.E2E.Tests;

/// <summary>
/// Knative's runtime conformance (knative/serving test/conformance/runtime: envvars, cmd_args, workingdir,
/// header, protocol) and request bodies and timeouts, through the real gateway to real workloads. The runtime
/// image's part is played by <c>tests/Workloads/ProtocolWorkload</c>'s <c>/runtime</c>.
/// </summary>
[Collection(PlatformCollection.Name)]
[Trait("Category", "E2E")]
public sealed partial class RuntimeConformanceE2ETests(PlatformFixture fx)
{
    private const string Ns = "conformance";

    private PlatformProcess P => fx.Platform;

    [Fact]
    public async Task The_runtime_contract_holds_inside_the_workload()
    {
        var workingDir = Directory.CreateTempSubdirectory("kno-wd-").FullName;
        try
        {
            await CreateRuntimeAsync("runtime", workingDir);
            var info = await RuntimeAsync("runtime", HttpMethod.Get, null, r =>
            {
                r.Headers.UserAgent.ParseAdd("conformance-test/1.0");
                r.Headers.Add("this-was-user-set", "a value");
                r.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
                r.Headers.Add("Knative-Serving-Revision", "spoofed");
            });

            // envvars_test: PORT and K_*; the embedded runtime picks PORT, and it is where the request arrives.
            var env = info["env"]!;
            Assert.Equal("runtime", (string?)env["K_SERVICE"]);
            Assert.Equal("runtime", (string?)env["K_CONFIGURATION"]);
            Assert.Equal("runtime-00001", (string?)env["K_REVISION"]);
            Assert.Equal((int)info["localPort"]!, int.Parse((string)env["PORT"]!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("user value", (string?)env["USER_VAR"]);

            // cmd_args_test and workingdir_test.
            Assert.Equal(["--mode", "conformance"], info["args"]!.AsArray().Select(a => (string?)a));
            Assert.Equal(workingDir, (string?)info["cwd"]);

            // header_test: MUST Forwarded, Host; SHOULD user headers as-is, X-Forwarded-Proto, X-Forwarded-For.
            var request = info["request"]!;
            var headers = request["headers"]!;
            Assert.Equal("runtime.conformance.example.com", (string?)request["host"]);
            Assert.Matches(ForwardedPattern(), (string?)headers["forwarded"]);
            Assert.Equal("a value", (string?)headers["this-was-user-set"]);
            Assert.Matches("^https?$", (string?)headers["x-forwarded-proto"]);
            Assert.All(((string)headers["x-forwarded-for"]!).Split(','), ip => Assert.True(IPAddress.TryParse(ip.Trim(), out _), ip));
            Assert.Equal("conformance-test/1.0", (string?)headers["user-agent"]);
            Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", (string?)headers["traceparent"]);
            Assert.Null(headers["knative-serving-revision"]);

            // protocol_test: a revision without an h2c port is spoken to in HTTP/1.1, even by an HTTP/2 client.
            Assert.Equal("HTTP/1.1", (string?)request["protocol"]);
            var overH2 = await RuntimeAsync("runtime", HttpMethod.Get, null, r =>
            {
                r.Version = HttpVersion.Version20;
                r.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
            });
            Assert.Equal("HTTP/1.1", (string?)overH2["request"]!["protocol"]);

            // Requests without a body and with large ones (fixed length and chunked) arrive intact.
            Assert.Equal(0, (long)info["request"]!["bodyLength"]!);
            var empty = await RuntimeAsync("runtime", HttpMethod.Post, new ByteArrayContent([]));
            Assert.Equal(0, (long)empty["request"]!["bodyLength"]!);
            var large = RandomNumberGenerator.GetBytes(8 * 1024 * 1024);
            var fixedLength = await RuntimeAsync("runtime", HttpMethod.Post, new ByteArrayContent(large));
            Assert.Equal(large.Length, (long)fixedLength["request"]!["bodyLength"]!);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(large)), (string?)fixedLength["request"]!["bodySha256"]);
            var chunked = new StreamContent(new MemoryStream(large, 0, 1024 * 1024));
            var streamed = await RuntimeAsync("runtime", HttpMethod.Put, chunked, r => r.Headers.TransferEncodingChunked = true);
            Assert.Equal(1024 * 1024, (long)streamed["request"]!["bodyLength"]!);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(large.AsSpan(0, 1024 * 1024))), (string?)streamed["request"]!["bodySha256"]);
        }
        finally
        {
            using var deleted = await P.Admin.DeleteAsync(Manifests.ServicePath(Ns, "runtime"));
            Directory.Delete(workingDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_request_slower_than_timeoutSeconds_gets_504_request_timeout()
    {
        var marker = Guid.NewGuid().ToString("N");
        var yaml = Manifests.HelloYaml("slow", marker).TrimEnd() + "\n      timeoutSeconds: 1\n";
        using (var created = await P.Admin.PostAsync(Manifests.ServicePath(Ns), Manifests.Yaml(yaml)))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await P.Admin.WaitForAsync(Manifests.ServicePath(Ns, "slow"), s => Manifests.Condition(s, "Ready") == "True", "slow ready", 60);
        using (var fast = await P.Gateway.SendAsync(Manifests.ToService("slow", Ns, "/sleep?ms=10")))
        {
            Assert.Equal(HttpStatusCode.OK, fast.StatusCode);
            Assert.Equal("slept 10", await fast.Content.ReadAsStringAsync());
        }

        using (var slow = await P.Gateway.SendAsync(Manifests.ToService("slow", Ns, "/sleep?ms=5000")))
        {
            Assert.Equal(HttpStatusCode.GatewayTimeout, slow.StatusCode);
            Assert.Equal("request timeout", await slow.Content.ReadAsStringAsync());
        }

        using var deleted = await P.Admin.DeleteAsync(Manifests.ServicePath(Ns, "slow"));
        Assert.Empty(await Workloads.WaitGoneAsync(marker, TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task Requests_wait_until_the_readiness_probe_passes()
    {
        var dir = Directory.CreateTempSubdirectory("kno-ready-").FullName;
        var ready = Path.Combine(dir, "ready");
        var probed = ready + ".probed";
        try
        {
            var yaml = $"""
                apiVersion: serving.knative.dev/v1
                kind: Service
                metadata:
                  name: probe
                spec:
                  template:
                    spec:
                      containers:
                        - image: runtime-conformance
                          command: ["dotnet", "{Repo.ProtocolWorkloadDll}"]
                          readinessProbe:
                            httpGet:
                              path: /ready
                          env:
                            - name: READY_FILE
                              value: "{ready}"
                """;
            using (var created = await P.Admin.PostAsync(Manifests.ServicePath(Ns), Manifests.Yaml(yaml)))
            {
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }

            // The app is up and answers its probe with 503: probed, never ready.
            var seen = await ProbesAsync(probed, atLeast: 3);
            var pending = P.Gateway.SendAsync(Manifests.ToService("probe", Ns));
            await ProbesAsync(probed, atLeast: seen + 3);
            Assert.False(pending.IsCompleted, "a request reached an instance whose readiness probe fails");
            var revision = await P.Admin.GetJsonAsync(Manifests.RevisionPath(Ns, "probe-00001"));
            Assert.NotEqual("True", Manifests.Condition(revision, "Ready"));

            await File.WriteAllTextAsync(ready, "");
            using var response = await pending.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("protocol HTTP/1.1", await response.Content.ReadAsStringAsync());
            await P.Admin.WaitForAsync(Manifests.ServicePath(Ns, "probe"), s => Manifests.Condition(s, "Ready") == "True", "probe ready");
        }
        finally
        {
            using var deleted = await P.Admin.DeleteAsync(Manifests.ServicePath(Ns, "probe"));
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Waits (bounded) until the workload has answered its readiness probe at least <paramref name="atLeast"/> times.</summary>
    private static async Task<long> ProbesAsync(string probedFile, long atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var count = File.Exists(probedFile) ? new FileInfo(probedFile).Length : 0;
            if (count >= atLeast)
            {
                return count;
            }

            Assert.True(DateTime.UtcNow < deadline, $"probed {count} times, want {atLeast}");
            await Task.Delay(50);
        }
    }

    // Knative's header_test pattern for Forwarded (RFC 7239 elements).
    [GeneratedRegex("""((^|\s*[,;]\s*)((for|by)=("[^"]+"|[0-9.:]+)|proto=https?|host=[^",;]+))+$""")]
    private static partial Regex ForwardedPattern();

    private async Task CreateRuntimeAsync(string name, string workingDir)
    {
        var yaml = $"""
            apiVersion: serving.knative.dev/v1
            kind: Service
            metadata:
              name: {name}
            spec:
              template:
                spec:
                  containers:
                    - image: runtime-conformance
                      command: ["dotnet", "{Repo.ProtocolWorkloadDll}"]
                      args: ["--mode", "conformance"]
                      workingDir: "{workingDir}"
                      env:
                        - name: USER_VAR
                          value: "user value"
            """;
        using (var created = await P.Admin.PostAsync(Manifests.ServicePath(Ns), Manifests.Yaml(yaml)))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await P.Admin.WaitForAsync(Manifests.ServicePath(Ns, name), s => Manifests.Condition(s, "Ready") == "True", $"{name} ready", 90);
    }

    private async Task<JsonNode> RuntimeAsync(string name, HttpMethod method, HttpContent? content, Action<HttpRequestMessage>? configure = null)
    {
        using var request = Manifests.ToService(name, Ns, "/runtime", method);
        request.Content = content;
        configure?.Invoke(request);
        using var response = await P.Gateway.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }
}
