using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Knative.Orleans.E2E.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Knative.Orleans.E2E.Tests;

/// <summary>
/// Eventing in clustered mode under a silo crash, for real: redis-server (the event store), 3 silos, a standalone
/// gateway (ingress), a real HTTP subscriber, kill -9. No event that ingress acknowledged with 202 may be lost.
/// </summary>
[Trait("Category", "E2E")]
public sealed class ClusterEventingFaultE2ETests(ITestOutputHelper output) : IDisposable
{
    private const string Ns = "evfault";
    private readonly string _data = Path.Combine(Path.GetTempPath(), "kno-evfault-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task Killing_the_silo_that_delivers_a_trigger_loses_no_accepted_event()
    {
        await using var subscriber = new EventSubscriber(Path.Combine(_data, "sub"));
        await subscriber.StartAsync();
        await using var cluster = await ClusterHarness.StartAsync(silos: 3, gateways: 1);
        var admin = cluster.Silos[0].Admin;
        await CreateAsync(admin, $"/apis/eventing.knative.dev/v1/namespaces/{Ns}/brokers", "metadata:\n  name: default\n");
        await CreateAsync(admin, $"/apis/eventing.knative.dev/v1/namespaces/{Ns}/triggers", $"""
            metadata:
              name: all
            spec:
              broker: default
              subscriber:
                uri: {subscriber.Url}/ev
            """);

        var gateway = cluster.Gateways[0].Gateway;
        var accepted = new ConcurrentDictionary<string, DateTime>();
        var refused = new ConcurrentQueue<string>();
        var calls = new ConcurrentQueue<(DateTime Sent, DateTime Done, string Status)>();
        using var stop = new CancellationTokenSource();
        // Open loop: a new event every 10 ms whatever the earlier ones do, so that calls stuck on the dead silo do not stop
        // the producer from measuring when ingress accepts events again.
        var producer = Task.Run(async () =>
        {
            var inFlight = new List<Task>();
            for (var n = 1; !stop.IsCancellationRequested; n++)
            {
                var id = "e-" + n.ToString(CultureInfo.InvariantCulture);
                inFlight.Add(Task.Run(async () =>
                {
                    var sent = DateTime.UtcNow;
                    var status = await PostAsync(gateway, id);
                    calls.Enqueue((sent, DateTime.UtcNow, status));
                    if (status == "202")
                    {
                        accepted[id] = sent;
                    }
                    else
                    {
                        refused.Enqueue(status);
                    }
                }));
                await Task.Delay(10);
            }

            await Task.WhenAll(inFlight);
        });

        // Deliveries flow; the silo with an open connection to the subscriber is the one running the trigger's loop.
        await WaitUntil(() => Delivered(subscriber).Count >= 50, "50 events delivered before the kill", 90);
        var hosts = SilosConnectedTo(cluster, subscriber.Port);
        var victim = hosts.Count == 1 ? hosts[0] : cluster.Silos[0]; // fallback: the silo whose admin API created the trigger
        output.WriteLine(hosts.Count == 1
            ? $"trigger delivered by silo pid {victim.Pid} (its connection to the subscriber); killing it"
            : $"could not tell the trigger's silo ({hosts.Count} silos connected to the subscriber); killing silo 0, which created it");

        var deliveredAtKill = Delivered(subscriber).Count;
        var killedAt = DateTime.UtcNow;
        var watch = Stopwatch.StartNew();
        await victim.CrashAsync();
        TimeSpan? resumed = null;
        TimeSpan? declaredDead = null;
        var survivors = cluster.Silos.Where(s => s != victim).ToList();
        var acceptedAfterKill = 0;
        await WaitUntil(() =>
        {
            if (declaredDead is null && survivors.Any(s => s.Output.Contains("declared dead", StringComparison.Ordinal)))
            {
                declaredDead = watch.Elapsed;
            }

            acceptedAfterKill = accepted.Values.Count(sent => sent > killedAt);
            if (resumed is null && Delivered(subscriber).Count > deliveredAtKill)
            {
                resumed = watch.Elapsed;
            }

            return resumed is not null && watch.Elapsed > TimeSpan.FromSeconds(5) && acceptedAfterKill >= 20;
        }, "deliveries resumed and 20 events sent after the kill accepted (producing at least 5 s after it)", 90);

        await stop.CancelAsync();
        await producer;
        var ids = accepted.Keys.ToHashSet();
        var missing = ids;
        await WaitUntil(() =>
        {
            missing = ids.Except(Delivered(subscriber)).ToHashSet();
            return missing.Count == 0;
        }, "every accepted event delivered", 60, () => $"{missing.Count} of {ids.Count} accepted events never delivered, e.g. " +
            string.Join(", ", missing.Take(10)));

        var delivered = Delivered(subscriber);
        var refusals = refused.GroupBy(s => s).Select(g => $"{g.Key} x{g.Count()}");
        output.WriteLine($"{ids.Count} events accepted (202), {acceptedAfterKill} of them sent after the kill; {refused.Count} refused: " +
            $"{string.Join(", ", refusals)}; {delivered.Count} deliveries, {delivered.Count - delivered.Distinct().Count()} duplicates " +
            $"(at-least-once); first delivery after the kill (the victim delivered nothing more) {resumed!.Value.TotalSeconds:0.00} s after the kill; " +
            $"first 202 for an event sent after the kill {(calls.Where(c => c.Sent > killedAt && c.Status == "202").Min(c => c.Done) - killedAt).TotalSeconds:0.00} s after it; " +
            $"slowest ingress answer {calls.Max(c => c.Done - c.Sent).TotalSeconds:0.00} s; " +
            $"{delivered.Distinct().Count(d => !ids.Contains(d))} delivered events had not been answered 202; " +
            $"silo declared dead (resumer log) after {declaredDead?.TotalSeconds:0.00} s");
        Assert.All(refused, s => Assert.True(s.StartsWith('5') || s.StartsWith("exception", StringComparison.Ordinal), $"ingress answered {s}"));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task CreateAsync(HttpClient admin, string path, string yaml)
    {
        using var response = await admin.PostAsync(path, Manifests.Yaml(yaml));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>POSTs a binary-mode CloudEvent to the broker's ingress; returns the status code, or "exception: ...".</summary>
    private static async Task<string> PostAsync(HttpClient gateway, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/{Ns}/default") { Content = new StringContent("{\"n\":1}", Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("ce-specversion", "1.0");
        request.Headers.Add("ce-id", id);
        request.Headers.Add("ce-source", "/e2e/fault");
        request.Headers.Add("ce-type", "fault.test");
        try
        {
            using var response = await gateway.SendAsync(request);
            return ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return "exception: " + e.GetType().Name;
        }
    }

    /// <summary>The ce-id of every delivery the subscriber recorded (duplicates kept).</summary>
    private static List<string> Delivered(EventSubscriber subscriber) =>
        subscriber.Received().Where(r => (string?)r["path"] == "/ev").Select(r => (string)r["headers"]!["ce-id"]!).ToList();

    /// <summary>The silos with an established TCP connection to <paramref name="port"/> (from <c>ss -tnp</c>).</summary>
    private static List<PlatformProcess> SilosConnectedTo(ClusterHarness cluster, int port)
    {
        var info = new ProcessStartInfo("ss", ["-tnpH", "state", "established", "dst", $"127.0.0.1:{port}"]) { RedirectStandardOutput = true };
        using var ss = Process.Start(info)!;
        var text = ss.StandardOutput.ReadToEnd();
        ss.WaitForExit();
        return System.Text.RegularExpressions.Regex.Matches(text, @"pid=(\d+)")
            .Select(m => cluster.SiloOf(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)))
            .OfType<PlatformProcess>().Distinct().ToList();
    }

    private static async Task WaitUntil(Func<bool> condition, string what, int seconds, Func<string>? detail = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {seconds} s waiting for: {what}{(detail is null ? "" : "; " + detail())}");
            await Task.Delay(100);
        }
    }
}
